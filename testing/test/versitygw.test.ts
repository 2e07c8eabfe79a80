import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
// A plain client playing another tool on the bucket, as subgraphs/files/test/api/s3.ts does.
// eslint-disable-next-line no-restricted-imports
import { Client } from 'minio';
import { startVersitygw, type VersitygwServer } from '../src/versitygw.ts';
import { tempDir } from '../src/temp.ts';

const bucket = 'filegraph';

async function text(stream: AsyncIterable<Buffer | string>): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

/** A CRC32 as S3 writes it: the four bytes, big-endian, in base64. */
function crc32Header(crc: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc);
  return bytes.toString('base64');
}

describe('versitygw, a second S3 server', () => {
  let data: { path: string; remove(): Promise<void> };
  let server: VersitygwServer;
  let s3: Client;

  before(async () => {
    data = await tempDir('versitygw');
    server = await startVersitygw(data.path);
    const endpoint = new URL(server.endpoint);
    s3 = new Client({
      endPoint: endpoint.hostname,
      port: Number(endpoint.port),
      useSSL: false,
      accessKey: server.accessKey,
      secretKey: server.secretKey,
    });
    await s3.makeBucket(bucket);
  });

  after(async () => {
    await server?.stop();
    await data?.remove();
  });

  it('when the files subgraph is pointed at it, then it gets the S3 settings under their usual names', () => {
    assert.deepEqual(server.filesEnv('other'), {
      STORAGE: 'minio',
      MINIO_ENDPOINT: server.endpoint,
      MINIO_ACCESS_KEY: server.accessKey,
      MINIO_SECRET_KEY: server.secretKey,
      MINIO_BUCKET: 'other',
    });
    assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('when objects are put, then they come back whole, in ranges, listed and presigned', async () => {
    const content = 'hello from versitygw';
    await s3.putObject(bucket, 'docs/hello.txt', Buffer.from(content), content.length, {
      'Content-Type': 'text/plain',
      'X-Amz-Meta-Sha256': 'abc',
    });
    await s3.putObject(bucket, 'docs/deep/two.txt', Buffer.from('2'), 1);
    // The posix backend keeps each object as a file of the bucket's folder.
    assert.ok(existsSync(`${data.path}/${bucket}/docs/hello.txt`));

    assert.equal(await text(await s3.getObject(bucket, 'docs/hello.txt')), content);
    assert.equal(await text(await s3.getPartialObject(bucket, 'docs/hello.txt', 6, 4)), 'from');
    const stat = await s3.statObject(bucket, 'docs/hello.txt');
    assert.equal(stat.size, content.length);
    assert.equal(stat.metaData.sha256, 'abc');

    const listed: string[] = [];
    for await (const item of s3.listObjectsV2(bucket, 'docs/', true)) listed.push(item.name ?? '');
    assert.deepEqual(listed, ['docs/deep/two.txt', 'docs/hello.txt']);
    const folders: string[] = [];
    for await (const item of s3.listObjectsV2(bucket, 'docs/', false))
      folders.push(item.prefix ?? item.name ?? '');
    assert.deepEqual(folders.sort(), ['docs/deep/', 'docs/hello.txt']);

    const url = await s3.presignedGetObject(bucket, 'docs/hello.txt', 60);
    const whole = await fetch(url);
    assert.equal(whole.status, 200);
    assert.equal(await whole.text(), content);
    const part = await fetch(url, { headers: { Range: 'bytes=0-4' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 0-4/${content.length}`);
    assert.equal(await part.text(), 'hello');
    const forged = await fetch(url.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=x'));
    assert.equal(forged.status, 403);
    await forged.body?.cancel();

    await s3.removeObjects(bucket, ['docs/hello.txt', 'docs/deep/two.txt']);
    const left: string[] = [];
    for await (const item of s3.listObjectsV2(bucket, '', true)) left.push(item.name ?? '');
    assert.deepEqual(left, []);
  });

  it('when a multipart upload carries CRC32s per part and a FULL_OBJECT one, then it checks both', async () => {
    // What subgraphs/files' S3 driver sends (its #multipart).
    const fullObject = {
      'x-amz-checksum-algorithm': 'CRC32',
      'x-amz-checksum-type': 'FULL_OBJECT',
    };
    const parts = [Buffer.alloc(5 * 2 ** 20, 1), Buffer.from('the last part')];
    const upload = async (name: string, wrongPart: boolean) => {
      const uploadId = await s3.initiateNewMultipartUpload(bucket, name, fullObject);
      const done: string[] = [];
      for (const [index, part] of parts.entries()) {
        const crc = crc32Header(wrongPart && index === 1 ? 12345 : crc32(part));
        const { etag } = await s3.uploadPart(
          {
            bucketName: bucket,
            objectName: name,
            uploadID: uploadId,
            partNumber: index + 1,
            headers: { 'x-amz-checksum-crc32': crc },
          },
          part,
        );
        done.push(
          `<Part><PartNumber>${index + 1}</PartNumber><ETag>"${etag}"</ETag><ChecksumCRC32>${crc}</ChecksumCRC32></Part>`,
        );
      }
      const whole = parts.reduce((crc, part) => crc32(part, crc), 0);
      const response = await s3.makeRequestAsync(
        {
          method: 'POST',
          bucketName: bucket,
          objectName: name,
          query: `uploadId=${encodeURIComponent(uploadId)}`,
          headers: { ...fullObject, 'x-amz-checksum-crc32': crc32Header(whole) },
        },
        `<CompleteMultipartUpload>${done.join('')}</CompleteMultipartUpload>`,
        [200],
      );
      return { answer: await text(response), whole: crc32Header(whole) };
    };

    const { answer, whole } = await upload('big.bin', false);
    assert.match(answer, new RegExp(`<ChecksumCRC32>${whole}</ChecksumCRC32>`));
    assert.match(answer, /<ChecksumType>FULL_OBJECT<\/ChecksumType>/);
    const head = await s3.makeRequestAsync(
      {
        method: 'HEAD',
        bucketName: bucket,
        objectName: 'big.bin',
        headers: { 'x-amz-checksum-mode': 'ENABLED' },
      },
      '',
      [200],
    );
    head.resume();
    assert.equal(head.headers['x-amz-checksum-crc32'], whole);
    assert.equal(head.headers['x-amz-checksum-type'], 'FULL_OBJECT');
    assert.equal(head.headers['content-length'], String(parts[0]!.length + parts[1]!.length));

    await assert.rejects(upload('corrupted.bin', true), { code: 'BadDigest' });
    await s3.removeObject(bucket, 'big.bin');
  });

  it('when it is restarted, then it serves the same objects on the same port', async () => {
    await s3.putObject(bucket, 'kept.txt', Buffer.from('kept'), 4);
    await server.restart();
    assert.equal(await text(await s3.getObject(bucket, 'kept.txt')), 'kept');
  });
});
