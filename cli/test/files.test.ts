import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiFile } from '@filegraph/testing/filesClient';
import { tempDir } from '@filegraph/testing/temp';
import { filegraph, stackTrace, startFilegraph, writeFile } from './cli.ts';

interface Listing {
  files: ApiFile[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('filegraph ls, get, mv, rm, trash and restore, against the embedded default', () => {
  let server: Awaited<ReturnType<typeof startFilegraph>>;
  let work: Awaited<ReturnType<typeof tempDir>>;
  const beach = randomBytes(300_000);
  let beachId = '';
  const run = (...args: string[]) => filegraph(args, { cwd: work.path, env: server.env });

  before(async () => {
    server = await startFilegraph();
    work = await tempDir('cli-files');
    beachId = (await server.api.put('beach.jpg', beach, { prefix: 'holiday' })).id;
    await server.api.put('notes.txt', 'first notes\n', { prefix: 'holiday' });
    await server.api.put('Sunset.JPG', 'sunset', { prefix: 'holiday/best' });
    await server.api.put('readme.txt', 'top\n');
    // 1,010 files: more than one page (the server gives at most 1,000).
    for (let batch = 0; batch < 11; batch += 1) {
      const files = Array.from({ length: batch < 10 ? 100 : 10 }, (_, i) => ({
        filename: `file-${String(batch * 100 + i).padStart(4, '0')}.txt`,
        content: `${batch * 100 + i}`,
      }));
      const response = await server.api.upload(files, { prefix: 'many' });
      assert.ok(response.data, JSON.stringify(response.errors));
    }
  });

  after(async () => {
    await server?.stop();
    await work?.remove();
  });

  describe('without a valid token', () => {
    const needsToken =
      "set FILEGRAPH_TOKEN; create one in the web UI's Tokens page or with createToken";

    it('when no token is set, then every command exits 2 with UNAUTHENTICATED and says how to get one', async () => {
      const commands = [
        ['ls'],
        ['get', 'readme.txt', '-o', '-'],
        ['rm', 'readme.txt', 'holiday/notes.txt'],
        ['upload', 'nothing-to-see.txt'],
      ];
      await writeFile(join(work.path, 'nothing-to-see.txt'), 'not sent');
      for (const args of commands) {
        const result = await filegraph(args, {
          cwd: work.path,
          env: { FILEGRAPH_URL: server.url },
        });
        assert.equal(result.code, 2, args.join(' '));
        assert.equal(result.stdout, '');
        // One line, once: not once per file.
        assert.match(result.stderr, /^filegraph: UNAUTHENTICATED: [^\n]+\n$/);
        assert.ok(result.stderr.includes(`needs an API token: ${needsToken}`), result.stderr);
        assert.doesNotMatch(result.stderr, stackTrace);
      }
      const json = await filegraph(['ls', '--json'], {
        cwd: work.path,
        env: { FILEGRAPH_URL: server.url },
      });
      assert.equal(json.code, 2);
      const { error } = JSON.parse(json.stderr) as { error: { code: string; message: string } };
      assert.equal(error.code, 'UNAUTHENTICATED');
      assert.ok(error.message.includes(needsToken));
      assert.equal((await server.api.file(beachId)).data?.file?.name, 'holiday/beach.jpg');
      assert.deepEqual(await server.api.all({ search: 'nothing-to-see' }), []);
    });

    it('when the token is made up, then it exits 2 saying the token was refused', async () => {
      const result = await filegraph(['ls', '--token', 'fg_made-up'], {
        cwd: work.path,
        env: { FILEGRAPH_URL: server.url },
      });
      assert.equal(result.code, 2);
      assert.ok(
        result.stderr.includes(
          `refused the API token (unknown, expired or revoked): ${needsToken}`,
        ),
        result.stderr,
      );
    });
  });

  describe('ls', () => {
    it('when a folder is listed, then every file in it and its subfolders is printed by full name', async () => {
      const result = await run('ls', 'holiday');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(
        result.stdout,
        'holiday/beach.jpg\nholiday/best/Sunset.JPG\nholiday/notes.txt\n',
      );
      assert.equal(result.stderr, '');
    });

    it('when --search is given, then only names that contain it, in any case, are listed', async () => {
      const result = await run('ls', '--search', 'sunset');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'holiday/best/Sunset.JPG\n');
    });

    it('when --long is given, then each line has the id, size and time before the name', async () => {
      const result = await run('ls', 'holiday', '-l', '--search', 'beach');
      assert.match(
        result.stdout,
        new RegExp(
          `^${beachId} {2}\\s*300 kB {2}\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z {2}holiday/beach\\.jpg\\n$`,
        ),
      );
    });

    it('when there are more files than one page, then ls shows the first ones and says how many there are', async () => {
      const result = await run('ls', 'many', '--limit', '20');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.split('\n').filter(Boolean).length, 20);
      assert.equal(result.stderr, '20 files shown of 1010; --all shows every one\n');
    });

    it('when --all is given, then it follows the cursors to the last file', async () => {
      const result = await run('ls', 'many', '--all', '--json');
      assert.equal(result.code, 0, result.stderr);
      const listing = result.json<Listing>();
      assert.equal(listing.files.length, 1010);
      assert.equal(new Set(listing.files.map((file) => file.id)).size, 1010);
      assert.equal(listing.files.at(-1)?.name, 'many/file-1009.txt');
      assert.equal(listing.totalCount, 1010);
      assert.equal(listing.hasNextPage, false);
    });

    it('when --json is given, then it prints the API’s files, the count and the cursor to go on from', async () => {
      const result = await run('ls', 'holiday', '--json', '-n', '1');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      const listing = result.json<Listing>();
      assert.deepEqual(Object.keys(listing), ['files', 'totalCount', 'hasNextPage', 'endCursor']);
      assert.equal(listing.totalCount, 3);
      assert.equal(listing.hasNextPage, true);
      assert.equal(typeof listing.endCursor, 'string');
      const [file] = listing.files;
      assert.deepEqual(Object.keys(file ?? {}).sort(), [
        'checksum',
        'contentType',
        'createdAt',
        'deletedAt',
        'id',
        'name',
        'size',
        'updatedAt',
        'url',
      ]);
      assert.deepEqual(file, { ...(await server.api.file(beachId)).data?.file, deletedAt: null });
    });
  });

  describe('get', () => {
    it('when a file is fetched by name, then its bytes land under its own name and their SHA-256 was checked', async () => {
      const result = await run('get', 'holiday/beach.jpg', '--json');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(await readFile(join(work.path, 'beach.jpg')), beach);
      const answer = result.json<{ file: ApiFile; path: string; bytes: number; sha256: string }>();
      assert.equal(answer.path, join(work.path, 'beach.jpg'));
      assert.equal(answer.bytes, beach.length);
      assert.equal(answer.sha256, sha256(beach));
      assert.equal(answer.file.checksum, sha256(beach));
    });

    it('when a file is fetched by id to -, then its bytes go to stdout and the line to stderr', async () => {
      const result = await run('get', beachId, '-o', '-');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.bytes, beach);
      assert.match(
        result.stderr,
        /^downloaded holiday\/beach\.jpg to stdout \(300 kB, SHA-256 checked\)\n$/,
      );
    });

    it('when -o names a folder, then the file lands in it under its own name, and nothing else is left there', async () => {
      await mkdir(join(work.path, 'into'));
      const result = await run('get', 'holiday/best/Sunset.JPG', '-o', 'into');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(await readdir(join(work.path, 'into')), ['Sunset.JPG']);
      assert.equal(await readFile(join(work.path, 'into/Sunset.JPG'), 'utf8'), 'sunset');
    });

    it('when there is no such file, then it exits 2 with NOT_FOUND and writes nothing', async () => {
      const result = await run('get', 'holiday/nothing.jpg', '-o', 'nothing.jpg');
      assert.equal(result.code, 2);
      assert.equal(
        result.stderr,
        'filegraph: NOT_FOUND: there is no file named "holiday/nothing.jpg"\n',
      );
      assert.ok(!(await readdir(work.path)).includes('nothing.jpg'));
    });
  });

  describe('mv', () => {
    it('when a file is renamed by name, then it has the new name and keeps its id', async () => {
      const result = await run('mv', 'readme.txt', 'docs/README.txt', '--json');
      assert.equal(result.code, 0, result.stderr);
      const { file, from } = result.json<{ file: ApiFile; from: string }>();
      assert.equal(from, 'readme.txt');
      assert.equal(file.name, 'docs/README.txt');
      assert.equal((await server.api.file(file.id)).data?.file?.name, 'docs/README.txt');
    });

    it('when the new name ends with "/", then the file moves into that folder under its own name', async () => {
      const result = await run('mv', beachId, 'holiday/best/');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'renamed holiday/beach.jpg to holiday/best/beach.jpg\n');
      assert.equal((await server.api.file(beachId)).data?.file?.name, 'holiday/best/beach.jpg');
    });

    it('when the new name is taken, then it exits 2 with CONFLICT and the server’s message, and nothing moves', async () => {
      const result = await run('mv', 'holiday/notes.txt', 'holiday/best/beach.jpg');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^filegraph: CONFLICT: .*holiday\/best\/beach\.jpg/);
      assert.doesNotMatch(result.stderr, stackTrace);
      assert.equal((await server.api.file(beachId)).data?.file?.name, 'holiday/best/beach.jpg');
    });

    it('when --folder is given, then every file in the folder moves and the count is printed', async () => {
      const result = await run('mv', '--folder', 'holiday/best', 'archive/2024');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'moved 2 files from holiday/best to archive/2024\n');
      assert.deepEqual(
        (await server.api.all({ prefix: 'archive' })).map((file) => file.name),
        ['archive/2024/Sunset.JPG', 'archive/2024/beach.jpg'],
      );
      const json = await run('mv', '--folder', 'archive/2024', 'archive/best', '--json');
      assert.deepEqual(json.json(), { moved: 2, from: 'archive/2024', to: 'archive/best' });
    });
  });

  describe('rm, trash and restore', () => {
    it('when files are removed by name and id, then trash lists them with their ids', async () => {
      const notes = (await server.api.all({ search: 'notes.txt' }))[0];
      const result = await run('rm', 'archive/best/beach.jpg', notes?.id ?? '', '--json');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.json(), {
        deleted: [
          { id: beachId, name: 'archive/best/beach.jpg' },
          { id: notes?.id, name: 'holiday/notes.txt' },
        ],
        failed: [],
      });
      const trash = await run('trash');
      assert.equal(trash.code, 0, trash.stderr);
      assert.deepEqual(
        trash.stdout
          .trim()
          .split('\n')
          .map((line) => line.split('  ')[1])
          .sort(),
        ['archive/best/beach.jpg', 'holiday/notes.txt'],
      );
      assert.ok(trash.stdout.includes(`${beachId}  archive/best/beach.jpg\n`));
    });

    it('when some of the files named are not there, then the others go, the missing fail with NOT_FOUND, and it exits 4', async () => {
      const result = await run('rm', 'archive/best/Sunset.JPG', 'archive/best/gone.jpg');
      assert.equal(result.code, 4);
      assert.equal(result.stdout, 'trashed archive/best/Sunset.JPG\n');
      assert.equal(
        result.stderr,
        'filegraph: archive/best/gone.jpg: NOT_FOUND: there is no file named "archive/best/gone.jpg"\n',
      );
    });

    it('when files are restored by id and by name, then they come back under their names with their ids', async () => {
      const result = await run('restore', beachId, 'holiday/notes.txt', '--json');
      assert.equal(result.code, 0, result.stderr);
      const { restored, failed } = result.json<{ restored: ApiFile[]; failed: unknown[] }>();
      assert.deepEqual(failed, []);
      assert.deepEqual(restored.map((file) => [file.name, file.deletedAt]).sort(), [
        ['archive/best/beach.jpg', null],
        ['holiday/notes.txt', null],
      ]);
      assert.equal(restored.find((file) => file.name.endsWith('beach.jpg'))?.id, beachId);
    });

    it('when a file’s name is taken again, then restoring it exits 2 with CONFLICT', async () => {
      await server.api.put('Sunset.JPG', 'another sunset', { prefix: 'archive/best' });
      const result = await run('restore', 'archive/best/Sunset.JPG');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^filegraph: CONFLICT: /);
      const json = await run('restore', 'archive/best/Sunset.JPG', '--json');
      assert.equal(json.code, 2);
      assert.equal(json.stdout, '');
      assert.equal((JSON.parse(json.stderr) as { error: { code: string } }).error.code, 'CONFLICT');
    });
  });
});
