import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { cutOffUpload, generatedContent } from '@filegraph/testing/graphql';
import { errorCode, FilesClient, type ApiFile } from '@filegraph/testing/filesClient';
import { signedAs, testCallers } from '@filegraph/testing/identity';
import { accessTests } from './accessTests.ts';
import { shareLinkTests } from './shareLinkTests.ts';
import { uploadNameTests } from './uploadNameTests.ts';
import { versionTests } from './versionTests.ts';

/**
 * One behaviour suite for the files subgraph, run against each storage
 * driver through a real files process: what a script sees over GraphQL and
 * HTTP, as the member alice (a request straight to a replica carries the
 * identity the gateway would sign). Limits are small here (12 MiB, 5 files) so the refusals are cheap;
 * 11 MiB still takes MinIO's multipart path (5 MiB parts).
 */

export const suiteEnv = { MAX_FILE_SIZE: '12MiB', MAX_FILES: '5', MINIO_PART_SIZE: '5MiB' };

export interface Target {
  readonly url: string;
  stop(): Promise<void>;
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

async function bytes(content: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of content) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Alice, the member the suite runs as. */
const asAlice = signedAs(testCallers.alice);

async function postMultipart(
  url: string,
  fields: Record<string, string>,
  file?: { field: string; name: string },
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append(file.field, new Blob(['x']), file.name);
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    body: form,
    headers: { 'apollo-require-preflight': 'true', ...asAlice() },
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    },
  };
}

export function filesApiSuite(driver: string, start: () => Promise<Target>): void {
  describe(`files subgraph on ${driver}`, () => {
    let target: Target;
    let api: FilesClient;

    before(async () => {
      target = await start();
      api = new FilesClient(target.url, { headers: asAlice });
    });
    after(() => target?.stop());

    const names = async (prefix: string) => (await api.all({ prefix })).map((file) => file.name);

    versionTests(() => api);
    uploadNameTests(() => api);
    accessTests(() => api);
    shareLinkTests(() => api);

    it('when a file is uploaded, then the API returns it with its size, type, SHA-256 and a download url', async () => {
      const file = await api.put('hello.txt', 'hello world\n', { prefix: 'basics' });
      assert.equal(file.name, 'basics/hello.txt');
      assert.equal(file.size, 12);
      assert.equal(file.contentType, 'text/plain');
      assert.equal(file.checksum, sha256('hello world\n'));
      assert.ok(!Number.isNaN(Date.parse(file.createdAt)) && file.createdAt === file.updatedAt);
      assert.match(file.url, /^\/download\//);
      assert.deepEqual((await api.file(file.id)).data?.file, file);
    });

    it('when a file is downloaded, then the exact bytes come back with safe headers', async () => {
      const content = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
      const file = await api.put('blob.bin', content, { prefix: 'download' });
      const response = await api.download(file.url);
      assert.equal(response.status, 200);
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), content);
      assert.equal(response.headers.get('content-type'), 'application/octet-stream');
      assert.match(
        response.headers.get('content-disposition') ?? '',
        /^attachment; filename="blob.bin"/,
      );
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('etag'), `"${file.checksum}"`);
    });

    it('when HTML or SVG is uploaded, then downloading it never renders it on our origin', async () => {
      for (const [filename, type] of [
        ['page.html', 'text/html'],
        ['image.svg', 'image/svg+xml'],
      ] as const) {
        const file = await api.put(filename, '<script>alert(1)</script>', {
          prefix: 'unsafe',
          contentType: type,
        });
        const response = await api.download(file.url);
        assert.equal(response.headers.get('content-type')?.split(';')[0], type);
        assert.match(response.headers.get('content-disposition') ?? '', /^attachment;/);
        assert.match(response.headers.get('content-security-policy') ?? '', /sandbox/);
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      }
      const image = await api.put('pixel.png', Buffer.from('89504e47', 'hex'), {
        prefix: 'unsafe',
        contentType: 'image/png',
      });
      const shown = await api.download(image.url);
      assert.match(shown.headers.get('content-disposition') ?? '', /^inline;/);
      const forced = await api.download(`${image.url}&download`);
      assert.match(forced.headers.get('content-disposition') ?? '', /^attachment;/);
    });

    it('when a range is asked for, then exactly those bytes come back as 206, and a bad range gets 416', async () => {
      const file = await api.put('digits.txt', '0123456789', { prefix: 'ranges' });
      const part = await api.download(file.url, { range: 'bytes=2-5' });
      assert.equal(part.status, 206);
      assert.equal(await part.text(), '2345');
      assert.equal(part.headers.get('content-range'), 'bytes 2-5/10');
      const tail = await api.download(file.url, { range: 'bytes=-3' });
      assert.equal(await tail.text(), '789');
      const open = await api.download(file.url, { range: 'bytes=7-' });
      assert.equal(await open.text(), '789');
      const outside = await api.download(file.url, { range: 'bytes=10-12' });
      assert.equal(outside.status, 416);
      assert.equal(outside.headers.get('content-range'), 'bytes */10');
      const unchanged = await api.download(file.url, { 'if-none-match': `"${file.checksum}"` });
      assert.equal(unchanged.status, 304);
    });

    it('when an empty file is uploaded, then it is stored and downloads as 0 bytes', async () => {
      const file = await api.put('empty.txt', '', { prefix: 'empty' });
      assert.equal(file.size, 0);
      assert.equal(file.checksum, sha256(''));
      const response = await api.download(file.url);
      assert.equal(response.status, 200);
      assert.equal((await response.arrayBuffer()).byteLength, 0);
    });

    it('when names use Unicode, then they are kept, and a decomposed name finds the same file', async () => {
      const file = await api.put('résumé 日本語 🎉.txt', 'unicode', { prefix: 'unicode' });
      assert.equal(file.name, 'unicode/résumé 日本語 🎉.txt');
      const decomposed = 'unicode/résumé 日本語 🎉.txt'.normalize('NFD');
      const again = await api.upload(
        [{ filename: decomposed.split('/')[1] as string, content: 'again' }],
        { prefix: 'unicode' },
      );
      assert.equal(errorCode(again), 'CONFLICT');
      const download = await api.download(file.url);
      assert.match(
        download.headers.get('content-disposition') ?? '',
        /filename\*=UTF-8''r%C3%A9sum%C3%A9%20/,
      );
      assert.deepEqual(await names('unicode'), ['unicode/résumé 日本語 🎉.txt']);
    });

    it('when several files are uploaded in one request, then all are stored under the prefix', async () => {
      const response = await api.upload(
        [
          { filename: 'a.txt', content: 'a' },
          { filename: 'b.txt', content: 'bb' },
          { filename: 'c.txt', content: 'ccc' },
        ],
        { prefix: 'many/sub' },
      );
      assert.equal(response.errors, undefined);
      assert.deepEqual(
        response.data?.uploadFiles.map((f) => [f.name, f.size]),
        [
          ['many/sub/a.txt', 1],
          ['many/sub/b.txt', 2],
          ['many/sub/c.txt', 3],
        ],
      );
    });

    it('when a large file is uploaded, then every byte is stored and its checksum is the SHA-256', async () => {
      const size = 11 * 2 ** 20 + 3;
      const content = await bytes(generatedContent(size, 7));
      const file = await api.put('large.bin', content, { prefix: 'large' });
      assert.equal(file.size, size);
      assert.equal(file.checksum, sha256(content));
      const download = await api.download(file.url);
      assert.equal(sha256(Buffer.from(await download.arrayBuffer())), sha256(content));
    });

    it('when listing a folder, then prefix, recursive: false and folders show its contents', async () => {
      // The multipart parser keeps only a file's base name: folders go in the prefix.
      for (const name of [
        'top.txt',
        'one/a.txt',
        'one/b.txt',
        'one/deep/c.txt',
        'two/d.txt',
        'one-x.txt',
      ]) {
        const slash = name.lastIndexOf('/');
        await api.put(name.slice(slash + 1), name, { prefix: `tree/${name.slice(0, slash + 1)}` });
      }
      assert.deepEqual(await names('tree/one'), [
        'tree/one/a.txt',
        'tree/one/b.txt',
        'tree/one/deep/c.txt',
      ]);
      assert.deepEqual(await names('tree/one/'), await names('tree/one'));
      const direct = await api.all({ prefix: 'tree', recursive: false });
      assert.deepEqual(
        direct.map((f) => f.name),
        ['tree/one-x.txt', 'tree/top.txt'],
      );
      const folders = await api.folders('tree');
      assert.deepEqual(folders.data?.folders, [
        { path: 'tree/one/', name: 'one' },
        { path: 'tree/two/', name: 'two' },
      ]);
      assert.deepEqual((await api.folders('tree/one')).data?.folders, [
        { path: 'tree/one/deep/', name: 'deep' },
      ]);
    });

    it('when searching, then names containing the text in any case match, with their count', async () => {
      for (const name of ['Holiday.JPG', 'holiday-2.png', 'ÄRGER.txt', 'work.txt'])
        await api.put(name, name, { prefix: 'search' });
      const found = await api.list({ prefix: 'search', search: 'HOLIDAY' });
      assert.deepEqual(
        found.data?.files.nodes.map((f) => f.name),
        ['search/Holiday.JPG', 'search/holiday-2.png'],
      );
      assert.equal(found.data?.files.totalCount, 2);
      for (const term of ['ärger', 'ARGER', 'Ärger'.normalize('NFD')]) {
        const unicode = await api.list({ prefix: 'search', search: term });
        assert.deepEqual(
          unicode.data?.files.nodes.map((f) => f.name),
          ['search/ÄRGER.txt'],
          `search ${term}: case and accents are ignored`,
        );
      }
      const none = await api.list({ prefix: 'search', search: 'nothing like it' });
      assert.deepEqual(none.data?.files, {
        nodes: [],
        pageInfo: { hasNextPage: false, endCursor: null },
        totalCount: 0,
      });
    });

    it('when paging with cursors, then every file comes once, in order, by name or by size', async () => {
      const expected: string[] = [];
      for (let i = 0; i < 23; i += 1) {
        const name = `file-${String(i).padStart(2, '0')}.txt`;
        await api.put(name, 'x'.repeat((i * 7) % 23), { prefix: 'paging' });
        expected.push(`paging/${name}`);
      }
      const byName = await api.all({ prefix: 'paging', first: 5 });
      assert.deepEqual(
        byName.map((f) => f.name),
        expected,
      );
      const bySize = await api.all({
        prefix: 'paging',
        first: 4,
        orderBy: { field: 'SIZE', direction: 'DESC' },
      });
      assert.equal(bySize.length, 23);
      assert.deepEqual(new Set(bySize.map((f) => f.name)), new Set(expected));
      for (let i = 1; i < bySize.length; i += 1)
        assert.ok((bySize[i - 1] as ApiFile).size >= (bySize[i] as ApiFile).size);
      const searched = await api.all({ prefix: 'paging', search: 'FILE-1', first: 3 });
      assert.deepEqual(
        searched.map((f) => f.name),
        expected.filter((n) => n.includes('file-1')),
      );
    });

    it('when a cursor or a page size is wrong, then the listing is refused with BAD_USER_INPUT', async () => {
      assert.equal(errorCode(await api.list({ after: 'not-a-cursor' })), 'BAD_USER_INPUT');
      assert.equal(errorCode(await api.list({ first: 1001 })), 'BAD_USER_INPUT');
      assert.equal(errorCode(await api.list({ first: -1 })), 'BAD_USER_INPUT');
      const page = await api.list({ first: 1 });
      const cursor = page.data?.files.pageInfo.endCursor ?? '';
      const otherOrder = await api.list({
        after: cursor,
        orderBy: { field: 'SIZE', direction: 'ASC' },
      });
      assert.equal(errorCode(otherOrder), 'BAD_USER_INPUT');
    });

    it('when a file is replaced, then it keeps its id, name and createdAt and gets the new content', async () => {
      const file = await api.put('doc.txt', 'first version', { prefix: 'replace' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const response = await api.replace(file.id, 'anything.md', 'second version, longer');
      const replaced = response.data?.replaceFile;
      assert.ok(replaced, JSON.stringify(response.errors));
      assert.equal(replaced.id, file.id);
      assert.equal(replaced.name, file.name);
      assert.equal(replaced.createdAt, file.createdAt);
      assert.notEqual(replaced.checksum, file.checksum);
      assert.ok(Date.parse(replaced.updatedAt) >= Date.parse(file.updatedAt));
      assert.equal(await (await api.download(replaced.url)).text(), 'second version, longer');
      assert.equal(errorCode(await api.replace('bm8tc3VjaC1maWxl', 'x', 'y')), 'NOT_FOUND');
    });

    it('when two replaces of one file race, then the file holds one of them whole, never a mix', async () => {
      const file = await api.put('race.bin', 'start', { prefix: 'race' });
      const one = await bytes(generatedContent(6 * 2 ** 20, 1));
      const two = await bytes(generatedContent(6 * 2 ** 20, 2));
      const results = await Promise.all([
        api.replace(file.id, 'one', one),
        api.replace(file.id, 'two', two),
      ]);
      const succeeded = results.filter((r) => r.data?.replaceFile);
      assert.ok(succeeded.length >= 1);
      for (const failed of results.filter((r) => !r.data?.replaceFile))
        assert.equal(errorCode(failed), 'CONFLICT');
      const stored = Buffer.from(
        await (await api.download(file.url.split('?')[0] as string)).arrayBuffer(),
      );
      assert.ok(
        [sha256(one), sha256(two)].includes(sha256(stored)),
        'stored content is one upload, whole',
      );
      const listed = (await api.all({ prefix: 'race' }))[0];
      assert.equal(listed?.checksum, sha256(stored));
    });

    it('when a file is renamed, then it keeps its id and content under its new name, and the old name is free', async () => {
      const file = await api.put('old name.txt', 'content', { prefix: 'rename' });
      const response = await api.rename(file.id, 'rename/moved/new name.txt');
      const renamed = response.data?.renameFile;
      assert.ok(renamed, JSON.stringify(response.errors));
      assert.equal(renamed.name, 'rename/moved/new name.txt');
      assert.equal(renamed.id, file.id);
      assert.equal(renamed.checksum, file.checksum);
      assert.equal(renamed.createdAt, file.createdAt);
      assert.equal(renamed.updatedAt, file.updatedAt);
      assert.deepEqual((await api.file(file.id)).data?.file, renamed);
      assert.equal(await (await api.download(file.url)).text(), 'content');
      assert.deepEqual(await names('rename'), ['rename/moved/new name.txt']);
      await api.put('old name.txt', 'a new file', { prefix: 'rename' });
    });

    it('when renaming onto a name that exists, then it is refused unless overwrite is asked for', async () => {
      const a = await api.put('a.txt', 'content a', { prefix: 'clash' });
      const b = await api.put('b.txt', 'content b', { prefix: 'clash' });
      assert.equal(errorCode(await api.rename(a.id, b.name)), 'CONFLICT');
      assert.equal(await (await api.download(a.url)).text(), 'content a');
      assert.equal(await (await api.download(b.url)).text(), 'content b');
      const forced = await api.rename(a.id, b.name, true);
      assert.equal(forced.data?.renameFile.checksum, a.checksum);
      assert.deepEqual(await names('clash'), ['clash/b.txt']);
      // The file that had the name is in the trash, not gone.
      const trashed = (await api.trash()).data?.trash.nodes ?? [];
      assert.ok(trashed.some((f) => f.id === b.id && f.name === 'clash/b.txt'));
    });

    it('when uploading onto a name that exists, then it is refused unless overwrite is true, which keeps createdAt', async () => {
      const file = await api.put('kept.txt', 'original', { prefix: 'overwrite' });
      const refused = await api.upload([{ filename: 'kept.txt', content: 'intruder' }], {
        prefix: 'overwrite',
      });
      assert.equal(errorCode(refused), 'CONFLICT');
      assert.match(refused.errors?.[0]?.message ?? '', /already exists; pass overwrite: true/);
      assert.equal(await (await api.download(file.url)).text(), 'original');
      const allowed = await api.upload([{ filename: 'kept.txt', content: 'replacement' }], {
        prefix: 'overwrite',
        overwrite: true,
      });
      assert.equal(allowed.data?.uploadFiles[0]?.createdAt, file.createdAt);
      assert.equal(
        await (await api.download(allowed.data?.uploadFiles[0]?.url ?? '')).text(),
        'replacement',
      );
    });

    it('when a large upload is refused before it is read, then the answer still comes and the rest is discarded', async () => {
      await api.put('taken.bin', 'original', { prefix: 'refused-large' });
      const refused = await api.upload(
        [{ filename: 'taken.bin', content: generatedContent(8 * 2 ** 20, 9) }],
        {
          prefix: 'refused-large',
        },
      );
      assert.equal(errorCode(refused), 'CONFLICT');
      assert.deepEqual(
        (await api.all({ prefix: 'refused-large' })).map((f) => f.size),
        [8],
      );
    });

    it('when a name is both a file and a folder, then the second one is refused', async () => {
      await api.put('thing', 'a file', { prefix: 'shape' });
      assert.equal(
        errorCode(
          await api.upload([{ filename: 'inside.txt', content: 'x' }], { prefix: 'shape/thing' }),
        ),
        'CONFLICT',
      );
      await api.put('inside.txt', 'x', { prefix: 'shape/folder' });
      assert.equal(
        errorCode(await api.upload([{ filename: 'folder', content: 'x' }], { prefix: 'shape' })),
        'CONFLICT',
      );
      assert.deepEqual(await names('shape'), ['shape/folder/inside.txt', 'shape/thing']);
    });

    it('when files are deleted, then they leave the listing for the trash, and a second delete reports none', async () => {
      const a = await api.put('a.txt', 'a', { prefix: 'delete' });
      const b = await api.put('b.txt', 'b', { prefix: 'delete' });
      const first = await api.delete([a.id, b.id, a.id]);
      assert.deepEqual(first.data?.deleteFiles?.sort(), [a.id, b.id].sort());
      assert.deepEqual(await names('delete'), []);
      assert.equal((await api.download(a.url)).status, 404);
      assert.equal((await api.file(a.id)).data?.file, null);
      assert.deepEqual((await api.delete([a.id])).data?.deleteFiles, []);
      assert.deepEqual((await api.delete(['%%%'])).data?.deleteFiles, []);
      const trash = (await api.trash()).data?.trash.nodes ?? [];
      const inTrash = trash.filter((f) => f.id === a.id || f.id === b.id);
      assert.equal(inTrash.length, 2);
      for (const file of inTrash) assert.ok(!Number.isNaN(Date.parse(file.deletedAt ?? '')));
    });

    it('when files are restored, then they come back with their ids and content, all or none', async () => {
      const a = await api.put('a.txt', 'first', { prefix: 'restore' });
      const b = await api.put('b.txt', 'second', { prefix: 'restore' });
      await api.delete([a.id, b.id]);
      const taken = await api.put('a.txt', 'newcomer', { prefix: 'restore' });
      const refused = await api.restore([a.id, b.id]);
      assert.equal(errorCode(refused), 'CONFLICT');
      assert.match(
        refused.errors?.[0]?.message ?? '',
        /restore\/a.txt.*taken.*Nothing was restored/,
      );
      assert.deepEqual(await names('restore'), ['restore/a.txt']);
      await api.rename(taken.id, 'restore/newcomer.txt');
      const restored = await api.restore([a.id, b.id]);
      assert.deepEqual(
        restored.data?.restoreFiles.map((f) => [f.id, f.name, f.deletedAt]).sort(),
        [
          [a.id, 'restore/a.txt', null],
          [b.id, 'restore/b.txt', null],
        ].sort(),
      );
      assert.equal(await (await api.download(a.url)).text(), 'first');
    });

    it('when the trash is emptied, then its files are gone for good', async () => {
      const file = await api.put('gone.txt', 'gone', { prefix: 'empty-trash' });
      await api.delete([file.id]);
      const emptied = await api.emptyTrash();
      assert.ok((emptied.data?.emptyTrash ?? 0) >= 1);
      assert.deepEqual((await api.trash()).data?.trash, {
        nodes: [],
        pageInfo: { hasNextPage: false, endCursor: null },
        totalCount: 0,
      });
      assert.deepEqual((await api.restore([file.id])).data?.restoreFiles, []);
    });

    it('when a folder is moved, then its files keep their ids and content under the new folder', async () => {
      const files = [];
      for (const [prefix, name] of [
        ['album/', 'a.jpg'],
        ['album/2024/', 'b.jpg'],
        ['album/2024/summer/', 'c.jpg'],
      ] as const)
        files.push(await api.put(name, `${prefix}${name}`, { prefix }));
      const moved = await api.moveFolder('album', 'archive/old-album');
      assert.equal(moved.data?.moveFolder, 3);
      assert.deepEqual(await names('archive'), [
        'archive/old-album/2024/b.jpg',
        'archive/old-album/2024/summer/c.jpg',
        'archive/old-album/a.jpg',
      ]);
      assert.deepEqual(await names('album'), []);
      for (const file of files) {
        const now = (await api.file(file.id)).data?.file;
        assert.equal(now?.checksum, file.checksum);
        assert.equal(await (await api.download(file.url)).text(), file.name);
      }
      assert.equal(errorCode(await api.moveFolder('archive', 'archive/inner')), 'BAD_USER_INPUT');
      assert.equal(errorCode(await api.moveFolder('no-such-folder', 'x')), 'NOT_FOUND');
      assert.equal(errorCode(await api.moveFolder('', 'x')), 'BAD_USER_INPUT');
      await api.put('t.txt', 't', { prefix: 'taken-folder' });
      assert.equal(errorCode(await api.moveFolder('archive', 'taken-folder')), 'CONFLICT');
    });

    it('when a folder is listed, then totalCount counts its files exactly, in all or directly in it', async () => {
      for (const [prefix, count] of [
        ['counted/', 3],
        ['counted/sub/', 4],
      ] as const)
        for (let i = 0; i < count; i += 1) await api.put(`f${i}.txt`, 'x', { prefix });
      assert.equal((await api.list({ prefix: 'counted', first: 1 })).data?.files.totalCount, 7);
      assert.equal(
        (await api.list({ prefix: 'counted', recursive: false, first: 1 })).data?.files.totalCount,
        3,
      );
      const [one] = await api.all({ prefix: 'counted/sub' });
      await api.delete([one?.id ?? '']);
      assert.equal((await api.list({ prefix: 'counted', first: 1 })).data?.files.totalCount, 6);
    });

    it('when names are empty, too long, hold control characters or climb out with "..", then they are refused and nothing changes', async () => {
      const before = await api.all();
      const file = await api.put('victim.txt', 'safe', { prefix: 'badnames' });
      for (const name of [
        '',
        '   ',
        'a/../../etc/passwd',
        '../escape.txt',
        'dir/',
        'bad\u0000nul.txt',
        'tab\tname',
        'x'.repeat(256),
        `${'d/'.repeat(520)}f`,
      ]) {
        const response = await api.rename(file.id, name);
        assert.equal(
          errorCode(response),
          'BAD_USER_INPUT',
          `rename to ${JSON.stringify(name.slice(0, 30))}`,
        );
        assert.ok(
          (response.errors?.[0]?.message.length ?? 0) > 20,
          'the message says what is wrong',
        );
      }
      for (const prefix of ['../up', 'a/./b', 'x\u0007y']) {
        const response = await api.upload([{ filename: 'f.txt', content: 'x' }], { prefix });
        assert.equal(errorCode(response), 'BAD_USER_INPUT', `prefix ${JSON.stringify(prefix)}`);
      }
      const dots = await api.upload([{ filename: '..', content: 'x' }]);
      assert.equal(errorCode(dots), 'BAD_USER_INPUT');
      assert.equal((await api.all()).length, before.length + 1);
      assert.equal(await (await api.download(file.url)).text(), 'safe');
    });

    it('when a file is over MAX_FILE_SIZE, then it is refused and the file it would replace is untouched', async () => {
      const file = await api.put('limit.bin', 'small', { prefix: 'limits' });
      const tooBig = generatedContent(12 * 2 ** 20 + 1, 3);
      const response = await api.replace(file.id, 'limit.bin', tooBig);
      assert.equal(errorCode(response), 'PAYLOAD_TOO_LARGE');
      assert.match(response.errors?.[0]?.message ?? '', /12 MiB.*MAX_FILE_SIZE/);
      assert.equal(await (await api.download(file.url)).text(), 'small');
      const fresh = await api.upload(
        [{ filename: 'fresh.bin', content: generatedContent(13 * 2 ** 20, 4) }],
        { prefix: 'limits' },
      );
      assert.equal(errorCode(fresh), 'PAYLOAD_TOO_LARGE');
      assert.deepEqual(await names('limits'), ['limits/limit.bin']);
    });

    it('when one file of a request is refused, then no file of that request is kept', async () => {
      const response = await api.upload(
        [
          { filename: 'first.txt', content: 'fine' },
          { filename: 'second.bin', content: generatedContent(12 * 2 ** 20 + 10, 5) },
        ],
        { prefix: 'allornothing' },
      );
      assert.equal(errorCode(response), 'PAYLOAD_TOO_LARGE');
      assert.match(response.errors?.[0]?.message ?? '', /No file of this request was kept/);
      const twice = await api.upload(
        [
          { filename: 'same.txt', content: '1' },
          { filename: 'same.txt', content: '2' },
        ],
        { prefix: 'allornothing' },
      );
      assert.equal(errorCode(twice), 'CONFLICT');
      assert.deepEqual(await names('allornothing'), []);
    });

    it('when a request carries more than MAX_FILES files, then it is refused with 413 and nothing is stored', async () => {
      const files = Array.from({ length: 6 }, (_, i) => ({ filename: `f${i}.txt`, content: 'x' }));
      const response = await api.upload(files, { prefix: 'toomany' });
      assert.equal(response.status, 413);
      assert.equal(errorCode(response), 'PAYLOAD_TOO_LARGE');
      assert.match(response.errors?.[0]?.message ?? '', /at most 5.*MAX_FILES/);
      assert.deepEqual(await names('toomany'), []);
    });

    it('when the multipart body is malformed, then the request gets a 400 that says what is wrong', async () => {
      const notJson = await postMultipart(target.url, { operations: '{nope', map: '{}' });
      assert.equal(notJson.status, 400);
      assert.equal(notJson.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      const missing = await postMultipart(target.url, {
        operations: JSON.stringify({
          query: 'mutation ($f: [Upload!]!) { uploadFiles(files: $f) { id } }',
          variables: { f: [null] },
        }),
        map: JSON.stringify({ 0: ['variables.f.0'] }),
      });
      assert.equal(missing.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.match(missing.body.errors?.[0]?.message ?? '', /missing/i);
      const noPreflight = await fetch(`${target.url}/graphql`, {
        method: 'POST',
        body: new FormData(),
        headers: asAlice(),
      });
      assert.equal(noPreflight.status, 400);
    });

    it('when an upload is cut off half-way, then no partial file appears and the service keeps answering', async () => {
      await cutOffUpload(target.url, 'cut.bin', 7 * 2 ** 20, asAlice());
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(
        (await api.all()).filter((f) => f.name === 'cut.bin'),
        [],
      );
      const file = await api.put('after-cut.txt', 'still here', { prefix: 'cut' });
      assert.equal(await (await api.download(file.url)).text(), 'still here');
      const ready = await fetch(`${target.url}/ready`);
      assert.equal(ready.status, 200);
    });
  });
}
