import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generatedContent } from '@filegraph/testing/graphql';
import { tempDir } from '@filegraph/testing/temp';
import { bin, filegraph, mutationCount, stackTrace, startFilegraph, writeFile } from './cli.ts';

interface Uploaded {
  uploaded: Array<{ id: string; name: string; size: number; checksum: string }>;
  failed: Array<{ path: string; name: string; error: { code: string; message: string } }>;
  skipped: Array<{ path: string; reason: string }>;
}

const mebibyte = 1024 * 1024;

describe('filegraph upload, against the embedded default', () => {
  let server: Awaited<ReturnType<typeof startFilegraph>>;
  let work: Awaited<ReturnType<typeof tempDir>>;
  /** Local path under tree/ → SHA-256. */
  const tree = new Map<string, string>();
  const run = (args: string[]) => filegraph(args, { cwd: work.path, env: server.env });

  before(async () => {
    server = await startFilegraph();
    work = await tempDir('cli-upload');
    const put = async (path: string, content: Parameters<typeof writeFile>[1]) =>
      tree.set(path, await writeFile(join(work.path, path), content));
    await put('tree/photos/2024/beach.jpg', randomBytes(200_000));
    await put('tree/photos/video.bin', generatedContent(20 * mebibyte, 7));
    for (let i = 1; i <= 30; i += 1)
      await put(`tree/docs/note-${String(i).padStart(2, '0')}.txt`, `note ${i}\n`);
    await mkdir(join(work.path, 'tree/empty'));
  });

  after(async () => {
    await server?.stop();
    await work?.remove();
  });

  it('when a folder tree is uploaded, then every file is stored under --to with its relative path and SHA-256', async () => {
    const before = await mutationCount(server.url);
    const result = await run(['upload', 'tree', '--to', 'backup', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const { uploaded, failed } = result.json<Uploaded>();
    assert.deepEqual(failed, []);
    const expected = [...tree].map(([path, sha256]) => [`backup/${path}`, sha256]).sort();
    assert.deepEqual(uploaded.map((file) => [file.name, file.checksum]).sort(), expected);
    const stored = await server.api.all({ prefix: 'backup' });
    assert.deepEqual(stored.map((file) => [file.name, file.checksum]).sort(), expected);
    assert.equal(stored.find((file) => file.name.endsWith('video.bin'))?.size, 20 * mebibyte);
    // As the web UI batches (frontend/src/uploads/batches.ts): the 30 notes in one request,
    // the 20 MiB file alone, beach.jpg (another folder) in its own.
    assert.equal((await mutationCount(server.url)) - before, 3);
  });

  it('when output is not a terminal, then it prints a line per file, a summary on stderr and no progress bar', async () => {
    const result = await run([
      'upload',
      'tree/docs/note-01.txt',
      'tree/photos/2024',
      '--to',
      'plain',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n').sort(), [
      'uploaded plain/2024/beach.jpg (200 kB)',
      'uploaded plain/note-01.txt (7 B)',
    ]);
    assert.match(result.stderr, /^2 files uploaded \(200 kB\) in \d+\.\d s\n$/);
    assert.doesNotMatch(result.stdout + result.stderr, /\r|\x1b/);
  });

  it('when stderr is a terminal, then a progress bar is drawn there, and the result lines still come', async (t) => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
    } catch {
      return t.skip('no `script` here to run the CLI on a terminal');
    }
    const command = `${bin} upload tree/photos/video.bin --to tty`;
    const screen = execFileSync('script', ['-qec', command, '/dev/null'], {
      cwd: work.path,
      env: { PATH: process.env.PATH ?? '', ...server.env },
      encoding: 'utf8',
    });
    assert.match(screen, /\ruploading \[[#.]+\] +\d+% +[\d.]+ [kMG]?B\/21 MB {2}0\/1 files/);
    assert.match(screen, /uploaded tty\/video\.bin \(21 MB\)/);
  });

  it('when some names are taken, then only those fail, with CONFLICT, the others are stored, and it exits 4', async () => {
    tree.set(
      'tree/docs/note-31.txt',
      await writeFile(join(work.path, 'tree/docs/note-31.txt'), 'new\n'),
    );
    const result = await run(['upload', 'tree/docs', '--to', 'backup/tree', '--json']);
    assert.equal(result.code, 4, result.stderr);
    const { uploaded, failed } = result.json<Uploaded>();
    assert.deepEqual(
      uploaded.map((file) => file.name),
      ['backup/tree/docs/note-31.txt'],
    );
    assert.equal(failed.length, 30);
    for (const failure of failed) {
      assert.equal(failure.error.code, 'CONFLICT');
      assert.match(failure.error.message, new RegExp(`"${failure.name}" already exists`));
    }
    assert.equal(failed[0]?.path, 'tree/docs/note-01.txt');
  });

  it('when every name is taken, then it exits 2 and stderr names CONFLICT for each file', async () => {
    const result = await run([
      'upload',
      'tree/photos/2024/beach.jpg',
      '--to',
      'backup/tree/photos/2024',
    ]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^filegraph: tree\/photos\/2024\/beach\.jpg → backup\/tree\/photos\/2024\/beach\.jpg: CONFLICT: A file named .* already exists/m,
    );
    assert.doesNotMatch(result.stderr, stackTrace);
  });

  it('when --overwrite is given, then taken names get the new content and keep their ids', async () => {
    const [old] = await server.api.all({ search: 'note-05', prefix: 'backup' });
    const sha256 = await writeFile(join(work.path, 'tree/docs/note-05.txt'), 'changed\n');
    const result = await run([
      'upload',
      'tree/docs/note-05.txt',
      '--to',
      'backup/tree/docs',
      '--overwrite',
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const [file] = result.json<Uploaded>().uploaded;
    assert.equal(file?.id, old?.id);
    assert.equal(file?.checksum, sha256);
  });

  it('when a folder holds links and a name with a backslash, then links to files go, the rest is reported, and it exits 4', async () => {
    await writeFile(join(work.path, 'odd/plain.txt'), 'plain\n');
    await writeFile(join(work.path, 'odd/win\\dows.txt'), 'backslash\n');
    await symlink(join(work.path, 'tree/docs/note-02.txt'), join(work.path, 'odd/to-file.txt'));
    await symlink(join(work.path, 'tree/docs'), join(work.path, 'odd/to-folder'));
    const result = await run(['upload', 'odd', '--json']);
    assert.equal(result.code, 4, result.stderr);
    const { uploaded, failed, skipped } = result.json<Uploaded>();
    assert.deepEqual(uploaded.map((file) => [file.name, file.size]).sort(), [
      ['odd/plain.txt', 6],
      ['odd/to-file.txt', 7],
    ]);
    assert.deepEqual(
      failed.map(({ name, error }) => [name, error.code]),
      [['odd/win\\dows.txt', 'BAD_NAME']],
    );
    assert.deepEqual(skipped, [{ path: 'odd/to-folder', reason: 'a link to a folder' }]);
  });

  it('when a file of 256 MiB goes up and comes back, then the CLI holds less than the file in memory', async () => {
    const size = 256 * mebibyte;
    const sha256 = await writeFile(join(work.path, 'large.bin'), generatedContent(size, 11));
    let peak = 0;
    const watch = (bytes: number) => (peak = Math.max(peak, bytes));
    const up = await filegraph(['upload', 'large.bin', '--to', 'large', '--json'], {
      cwd: work.path,
      env: server.env,
      peakRss: watch,
    });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(up.json<Uploaded>().uploaded[0]?.checksum, sha256);
    const down = await filegraph(['get', 'large/large.bin', '-o', 'large-copy.bin', '--json'], {
      cwd: work.path,
      env: server.env,
      peakRss: watch,
    });
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.json<{ sha256: string }>().sha256, sha256);
    // Node itself is ~60 MiB; a whole file in memory would be 256 MiB more.
    assert.ok(peak > 0, 'no memory reading');
    assert.ok(peak < 200 * mebibyte, `peak RSS ${Math.round(peak / mebibyte)} MiB`);
  });
});
