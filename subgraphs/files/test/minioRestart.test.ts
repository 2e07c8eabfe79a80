import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { errorCode, FilesClient, type ApiFile } from '@filegraph/testing/filesClient';
import { signedAs, testCallers } from '@filegraph/testing/identity';
import { startMinio, type MinioServer } from '@filegraph/processes/minio';
import { exitOf } from '@filegraph/processes/processes';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('files on MinIO when MinIO dies', () => {
  let data: { path: string; remove(): Promise<void> };
  let minio: MinioServer;
  let files: RunningService;
  let api: FilesClient;
  const stored = new Map<string, { file: ApiFile; digest: string }>();

  before(async () => {
    data = await tempDir('minio-restart');
    minio = await startMinio(`${data.path}/minio`);
    files = await startService('files', {
      ...minio.filesEnv(),
      MINIO_PART_SIZE: '5MiB',
      DATA_DIR: data.path,
    });
    api = new FilesClient(files.url, { headers: signedAs(testCallers.alice) });
    const contents: Array<[string, Buffer]> = [
      ['empty.txt', Buffer.alloc(0)],
      ['notes/日本語.txt', Buffer.from('unicode content')],
      [
        'photos/2024/beach.jpg',
        Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)),
      ],
      [
        'video/big.bin',
        Buffer.from(Array.from({ length: 11 * 2 ** 20 }, (_, i) => (i * 7 + 3) % 256)),
      ],
    ];
    for (const [path, content] of contents) {
      const slash = path.lastIndexOf('/');
      const file = await api.put(path.slice(slash + 1), content, {
        prefix: path.slice(0, slash + 1),
      });
      stored.set(file.name, { file, digest: sha256(content) });
    }
  });

  after(async () => {
    await files?.stop();
    await minio?.stop();
    await data?.remove();
  });

  it('when MinIO is killed, then uploads and downloads say storage is unavailable, listings still answer, and readiness fails', async () => {
    minio.process.kill('SIGKILL');
    await exitOf(minio.process.child);
    // The catalogue, not the bucket, answers listings.
    const listing = await api.all();
    assert.deepEqual(listing.map((f) => f.name).sort(), [...stored.keys()].sort());
    const upload = await api.upload([{ filename: 'during-outage.txt', content: 'x' }]);
    assert.equal(errorCode(upload), 'UNAVAILABLE');
    assert.match(upload.errors?.[0]?.message ?? '', /storage .* is not answering/);
    assert.deepEqual(await api.all({ prefix: 'during' }), []);
    const photo = stored.get('photos/2024/beach.jpg') as { file: ApiFile };
    assert.equal((await api.download(photo.file.url)).status, 503);
    const ready = await fetch(`${files.url}/ready`);
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { dependencies: Array<{ name: string; status: string }> };
    assert.deepEqual(
      body.dependencies.map((d) => [d.name, d.status]),
      [
        ['storage', 'down'],
        ['catalogue', 'ok'],
      ],
    );
  });

  it('when MinIO is restarted on the same data, then every file is back, byte for byte, with no restart of the files service', async () => {
    await minio.restart();
    const listed = await api.all();
    assert.deepEqual(listed.map((f) => f.name).sort(), [...stored.keys()].sort());
    for (const file of listed) {
      const expected = stored.get(file.name);
      assert.ok(expected);
      assert.deepEqual(file, expected.file);
      const response = await api.download(file.url);
      assert.equal(response.status, 200);
      assert.equal(sha256(Buffer.from(await response.arrayBuffer())), expected.digest, file.name);
    }
    assert.equal((await fetch(`${files.url}/ready`)).status, 200);
    const after = await api.put('after-restart.txt', 'writes work again');
    assert.equal(await (await api.download(after.url)).text(), 'writes work again');
  });
});
