import assert from 'node:assert/strict';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { eventually } from '@filegraph/testing/eventually';
import { FilesClient } from '@filegraph/testing/filesClient';
import { signedAs, testCallers } from '@filegraph/testing/identity';
import { generatedContent } from '@filegraph/testing/graphql';
import { startMinio, type MinioServer } from '@filegraph/processes/minio';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { suiteEnv } from './filesApiSuite.ts';
import { s3Client } from './s3.ts';

/** What the bucket holds, looked at as another tool would. */
describe('files as MinIO holds them', () => {
  let data: { path: string; remove(): Promise<void> };
  let minio: MinioServer;
  let files: RunningService;
  let api: FilesClient;
  let s3: ReturnType<typeof s3Client>;
  const bucket = 'held';

  before(async () => {
    data = await tempDir('files-minio-objects');
    minio = await startMinio(`${data.path}/minio`);
    files = await startService('files', {
      ...suiteEnv,
      ...minio.filesEnv(bucket),
      DATA_DIR: data.path,
      SWEEP_INTERVAL: '200ms',
    });
    api = new FilesClient(files.url, { headers: signedAs(testCallers.alice) });
    s3 = s3Client(minio);
  });

  after(async () => {
    await files?.stop();
    await minio?.stop();
    await data?.remove();
  });

  /** Every object in the bucket: key → ETag and time. */
  async function objects(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for await (const item of s3.listObjectsV2(bucket, '', true))
      found.set(item.name as string, `${item.etag} ${item.lastModified?.toISOString()}`);
    return found;
  }

  it('when files are stored, then the bucket holds their bytes under keys of their own, not their names', async () => {
    const file = await api.put('report.pdf', 'pdf bytes', { prefix: 'docs' });
    const keys = [...(await objects()).keys()];
    assert.equal(keys.length, 1);
    assert.match(keys[0] as string, /^objects\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
    assert.equal(
      (await buffer(await s3.getObject(bucket, keys[0] as string))).toString(),
      'pdf bytes',
    );
    assert.ok(!keys.includes(file.name));
  });

  it('when a file takes several parts, then each part was checked by MinIO on the way', async () => {
    const content = await buffer(generatedContent(11 * 2 ** 20 + 3, 5));
    const before = await objects();
    await api.put('video.bin', content, { prefix: 'parts' });
    const [key] = [...(await objects()).keys()].filter((k) => !before.has(k));
    const head = await s3.makeRequestAsync({
      method: 'HEAD',
      bucketName: bucket,
      objectName: key as string,
      headers: { 'x-amz-checksum-mode': 'ENABLED' },
    });
    head.resume();
    // A checksum of the parts' CRC32s, which the replica sent with every part: three 5 MiB parts.
    assert.match(String(head.headers['x-amz-checksum-crc32']), /^[A-Za-z0-9+/=]+-3$/);
    assert.equal(Number(head.headers['content-length']), content.length);
  });

  it('when files are renamed and their folder moved, then not one object is written or copied', async () => {
    for (let i = 0; i < 5; i += 1) await api.put(`f${i}.bin`, `content ${i}`, { prefix: 'still' });
    const before = await objects();
    const [first] = await api.all({ prefix: 'still' });
    await api.rename(first?.id ?? '', 'still/renamed.bin');
    assert.equal((await api.moveFolder('still', 'moved/elsewhere')).data?.moveFolder, 5);
    assert.deepEqual(await objects(), before);
    assert.equal(await (await api.download(first?.url ?? '')).text(), 'content 0');
  });

  it('when the trash is emptied, then the bytes of its files leave the bucket', async () => {
    const file = await api.put('doomed.bin', 'doomed', { prefix: 'doomed' });
    const before = await objects();
    await api.delete([file.id]);
    await api.emptyTrash();
    await eventually('the sweeper deletes the bytes', async () =>
      (await objects()).size === before.size - 1 ? true : undefined,
    );
  });
});
