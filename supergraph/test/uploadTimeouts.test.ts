import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { FilesClient } from '@filegraph/testing/filesClient';
import { encodeParts, multipartHeaders, uploadParts } from '@filegraph/testing/multipartParts';
import { rawRequest, sendRaw } from '@filegraph/testing/rawHttp';
import { tokenHeaders } from '@filegraph/testing/accounts';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The first admin's API token, as a script sends it (set once the platform is up). */
let as: () => Record<string, string> = () => ({});

/** An upload request of one file into `prefix`, split in chunks of `size` bytes. */
function uploadChunks(prefix: string, content: Buffer, size: number): Buffer[] {
  const request = rawRequest(
    '/graphql',
    { ...multipartHeaders('b'), ...as() },
    encodeParts(uploadParts([{ field: '0', filename: 'f.bin', content }], prefix), 'b'),
  );
  const chunks: Buffer[] = [];
  for (let at = 0; at < request.length; at += size) chunks.push(request.subarray(at, at + size));
  return chunks;
}

describe('upload time limits through the gateway (embedded default)', () => {
  let embedded: RunningService;
  let data: { path: string; remove(): Promise<void> };
  let api: FilesClient;
  let port: number;

  before(async () => {
    data = await tempDir('upload-timeouts');
    embedded = await startService('embedded', {
      DATA_DIR: data.path,
      UPLOAD_IDLE_TIMEOUT: '500ms',
      MAX_UPLOADS_PER_CLIENT: '2',
    });
    as = await tokenHeaders(embedded.url);
    api = new FilesClient(embedded.url, { headers: as });
    port = Number(new URL(embedded.url).port);
  });
  after(async () => {
    await embedded?.stop();
    await data?.remove();
  });

  it('when a large upload arrives slowly but steadily, then it is stored whole', async () => {
    const content = Buffer.alloc(3 * 2 ** 20);
    for (let i = 0; i < content.length; i += 4) content.writeUInt32LE((i * 2654435761) >>> 0, i);
    const answer = await sendRaw(port, uploadChunks('slow', content, 64 * 1024), {
      pauseMs: 40,
      timeoutMs: 30_000,
    });
    assert.equal(answer?.status, 200, answer?.body);
    const [stored] = await api.all({ prefix: 'slow' });
    assert.equal(stored?.checksum, sha256(content));
  });

  it('when the client stops half-way, then the gateway answers 408 promptly, keeps nothing and serves on', async () => {
    const chunks = uploadChunks('stalled', Buffer.alloc(2 * 2 ** 20, 1), 2 ** 20);
    const started = performance.now();
    const answer = await sendRaw(port, chunks.slice(0, 2), {
      timeoutMs: 10_000,
      watchCloseMs: 200,
    });
    assert.equal(answer?.status, 408, answer?.body);
    assert.match(answer.body, /UPLOAD_IDLE_TIMEOUT/);
    assert.equal(answer.closed, true);
    assert.ok(performance.now() - started < 5_000, 'answered without waiting for the client');
    assert.deepEqual(await api.all({ prefix: 'stalled' }), []);
    assert.equal((await api.list()).errors, undefined);
  });

  it('when the Content-Length promises more than comes, then the answer is a 408 and nothing is kept', async () => {
    const body = encodeParts(
      uploadParts(
        [{ field: '0', filename: 'short.txt', content: Buffer.from('all of it') }],
        'short',
      ),
      'b',
    );
    const answer = await sendRaw(port, [
      rawRequest(
        '/graphql',
        { ...multipartHeaders('b'), ...as(), 'content-length': String(body.length + 100) },
        body,
      ),
    ]);
    assert.equal(answer?.status, 408, answer?.body);
    assert.deepEqual(await api.all({ prefix: 'short' }), []);
  });

  it('when a JSON body stops half-way, then the gateway answers 408 after UPLOAD_IDLE_TIMEOUT and closes, instead of holding the connection', async () => {
    const body = Buffer.from('{"query":"{ me { id } }"}');
    const started = performance.now();
    const answer = await sendRaw(
      port,
      [
        rawRequest(
          '/graphql',
          { 'content-type': 'application/json', 'content-length': String(body.length + 100) },
          body,
        ),
      ],
      { timeoutMs: 10_000, watchCloseMs: 200 },
    );
    assert.equal(answer?.status, 408, answer?.body);
    assert.match(answer.body, /"code":"REQUEST_TIMEOUT"/);
    assert.match(answer.body, /UPLOAD_IDLE_TIMEOUT/);
    assert.equal(answer.closed, true);
    assert.ok(performance.now() - started < 5_000, 'answered without waiting for the client');
    assert.equal((await api.list()).errors, undefined);
  });

  it('when one client has two uploads under way, then a third is refused with 429 and the two finish', async () => {
    const slow = (prefix: string) =>
      sendRaw(port, uploadChunks(prefix, Buffer.alloc(256 * 1024, 2), 64 * 1024), {
        pauseMs: 150,
        timeoutMs: 30_000,
      });
    const held = [slow('held1'), slow('held2')];
    await new Promise((resolve) => setTimeout(resolve, 200));
    const third = await sendRaw(port, uploadChunks('third', Buffer.from('x'), 1 << 20));
    assert.equal(third?.status, 429, third?.body);
    assert.match(third.body, /MAX_UPLOADS_PER_CLIENT/);
    for (const answer of await Promise.all(held)) assert.equal(answer?.status, 200, answer?.body);
    const after = await sendRaw(port, uploadChunks('third', Buffer.from('x'), 1 << 20));
    assert.equal(after?.status, 200, after?.body);
  });
});
