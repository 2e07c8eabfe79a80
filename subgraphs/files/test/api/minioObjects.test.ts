import assert from 'node:assert/strict';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { FilesClient } from '@filegraph/testing/filesClient';
import { generatedContent } from '@filegraph/testing/graphql';
import { startMinio, type MinioServer } from '@filegraph/testing/minio';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { suiteEnv } from './filesApiSuite.ts';
import { s3Client } from './s3.ts';

describe('files as MinIO holds them', () => {
  let data: { path: string; remove(): Promise<void> };
  let minio: MinioServer;
  let files: RunningService;
  let api: FilesClient;
  let s3: ReturnType<typeof s3Client>;
  const bucket = 'held';

  before(async () => {
    data = await tempDir('files-minio-objects');
    minio = await startMinio(data.path);
    files = await startService('files', { ...suiteEnv, ...minio.filesEnv(bucket) });
    api = new FilesClient(files.url);
    s3 = s3Client(minio);
  });

  after(async () => {
    await files?.stop();
    await minio?.stop();
    await data?.remove();
  });

  it('when a file takes several parts, then MinIO checked each part and wrote the object once', async () => {
    const content = await buffer(generatedContent(11 * 2 ** 20 + 3, 5));
    const file = await api.put('video.bin', content, { prefix: 'parts' });

    const head = await s3.makeRequestAsync({
      method: 'HEAD',
      bucketName: bucket,
      objectName: file.name,
      headers: { 'x-amz-checksum-mode': 'ENABLED' },
    });
    head.resume();
    // The CRC32 the replica sent with every part, which MinIO checked and combined.
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(crc32(content));
    assert.equal(head.headers['x-amz-checksum-crc32'], expected.toString('base64'));
    assert.equal(head.headers['x-amz-checksum-type'], 'FULL_OBJECT');
    // Still the object the multipart upload wrote (ETag "…-3": three 5 MiB
    // parts): adding the SHA-256 afterwards changed metadata, not the bytes.
    assert.match(String(head.headers.etag), /-3"$/);
    const stat = await s3.statObject(bucket, file.name);
    assert.equal(stat.metaData['sha256'], file.checksum);
  });
});
