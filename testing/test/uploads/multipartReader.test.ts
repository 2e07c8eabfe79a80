import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  encodeParts,
  fieldPart,
  filePart,
  multipartHeaders,
  uploadParts,
  type Part,
} from '@filegraph/testing/multipartParts';
import { rawRequest, sendRaw, type RawAnswer } from '@filegraph/testing/rawHttp';
import { startUploadTarget } from './uploadTarget.ts';

const boundary = 'test-boundary';
const file = (field: string, content: string | Buffer, filename = `${field}.txt`) => ({
  field,
  filename,
  content: Buffer.isBuffer(content) ? content : Buffer.from(content),
});

function errorOf(answer: RawAnswer | undefined): { code?: string; message: string } {
  assert.ok(answer, 'an answer came');
  const body = JSON.parse(answer.body) as {
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  const first = body.errors?.[0];
  assert.ok(first, `an error in ${answer.body}`);
  return { code: first.extensions?.code, message: first.message };
}

describe('the multipart upload reader', () => {
  let target: Awaited<ReturnType<typeof startUploadTarget>>;
  before(async () => {
    target = await startUploadTarget();
  });
  after(() => target.stop());

  const post = (
    parts: readonly Part[],
    options: { headers?: Record<string, string>; closing?: boolean; timeoutMs?: number } = {},
  ) =>
    sendRaw(
      target.port,
      [
        rawRequest(
          '/graphql',
          options.headers ?? multipartHeaders(boundary),
          encodeParts(parts, boundary, options.closing),
        ),
      ],
      { timeoutMs: options.timeoutMs ?? 5_000 },
    );

  /** Refused with `status`, `code` and a message matching `message`, and nothing completed. */
  async function refused(
    answer: Promise<RawAnswer | undefined>,
    status: number,
    code: string,
    message: RegExp,
  ): Promise<void> {
    const before = target.completed.length;
    const got = await answer;
    assert.equal(got?.status, status, got?.body);
    const error = errorOf(got);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    assert.equal(target.completed.length, before, 'no operation completed');
  }

  it('when every part is in order, then the operation reads each file whole', async () => {
    const answer = await post(uploadParts([file('0', 'first'), file('1', 'second')]));
    assert.equal(answer?.status, 200, answer?.body);
    assert.deepEqual(
      (JSON.parse(answer.body) as { data: { files: Array<{ size: number }> } }).data.files.map(
        (f) => f.size,
      ),
      [5, 6],
    );
  });

  it('when a file comes before operations, then it is a 400 and the server lives on', async () => {
    await refused(
      post([filePart(file('0', 'x')), fieldPart('operations', '{}')]),
      400,
      'BAD_USER_INPUT',
      /files should follow ‘map’/,
    );
  });

  it('when the preflight header is missing, then it is refused before the body is read', async () => {
    await refused(
      post(uploadParts([file('0', 'x')]), {
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      }),
      400,
      'BAD_USER_INPUT',
      /Apollo-Require-Preflight.*CSRF/,
    );
  });

  it('when the Content-Type has no boundary, then the request is refused as unreadable', async () => {
    await refused(
      post(uploadParts([file('0', 'x')]), {
        headers: { ...multipartHeaders(boundary), 'content-type': 'multipart/form-data' },
      }),
      400,
      'BAD_USER_INPUT',
      /can't be read: its Content-Type has no usable boundary/,
    );
  });

  it('when the body uses another boundary than announced, then it is a 400 naming the missing end', async () => {
    await refused(
      post(uploadParts([file('0', 'x')]), {
        headers: multipartHeaders('other-boundary'),
      }),
      400,
      'BAD_USER_INPUT',
      /ended before its closing boundary/,
    );
  });

  it('when the closing boundary is missing, then nothing is read as complete: a 400 naming the file', async () => {
    await refused(
      post(uploadParts([file('0', 'almost')]), { closing: false }),
      400,
      'BAD_USER_INPUT',
      /closing boundary while ‘0\.txt’ was arriving; nothing of it was stored/,
    );
  });

  it('when a part header is malformed or oversized, then it is a 400', async () => {
    const [operations, map] = uploadParts([file('0', 'x')]);
    const huge: Part = { headers: [`X-Junk: ${'j'.repeat(20_000)}`], body: Buffer.from('x') };
    await refused(
      post([operations as Part, map as Part, huge]),
      400,
      'BAD_USER_INPUT',
      /malformed header, or headers over 16 KiB/,
    );
  });

  it('when operations or map are not JSON, are misordered, repeated or unknown, then each is a 400 that says so', async () => {
    const [operations, map, one] = uploadParts([file('0', 'x')]) as [Part, Part, Part];
    const cases: Array<[Part[], RegExp]> = [
      [[fieldPart('operations', '{nope'), map, one], /Invalid JSON in the ‘operations’/],
      [[fieldPart('operations', '3'), map, one], /Invalid type for the ‘operations’/],
      [[operations, fieldPart('map', '['), one], /Invalid JSON in the ‘map’/],
      [[operations, fieldPart('map', '[]'), one], /Invalid type for the ‘map’/],
      [[map, operations, one], /‘map’ should follow ‘operations’/],
      [[operations, operations, map, one], /‘operations’ appears twice/],
      [[operations, map, fieldPart('extra', 'x'), one], /Unexpected multipart field ‘extra’/],
      [[operations], /Missing multipart field ‘map’/],
      [[], /Missing multipart field ‘operations’/],
      [[operations, fieldPart('map', '{"0":"variables.files.0"}'), one], /must be an array/],
      [
        [operations, fieldPart('map', '{"0":["variables.nothing"]}'), one],
        /not a variable in ‘operations’/,
      ],
      [
        [operations, fieldPart('map', '{"0":["__proto__.toString"]}'), one],
        /not a variable in ‘operations’/,
      ],
      [
        [operations, fieldPart('map', '{"0":["variables.files.0","variables.prefix"]}'), one],
        /gives file ‘0’ 2 places/,
      ],
      [
        [operations, fieldPart('map', '{"0":["variables.files.0"],"1":["variables.files.0"]}')],
        /puts two files at "variables.files.0"/,
      ],
      [[operations, map], /File ‘0’, named in the ‘map’, is missing/],
      [[operations, map, one, one], /File ‘0’ appears twice/],
    ];
    for (const [parts, message] of cases) {
      await refused(post(parts), 400, 'BAD_USER_INPUT', message);
    }
    assert.equal(({} as Record<string, unknown>).toString, Object.prototype.toString);
  });

  it('when a file is over the size limit or there are too many, then it is a 413 naming the limit', async () => {
    await refused(
      post(uploadParts([file('0', Buffer.alloc((1 << 20) + 1), 'big.bin')])),
      413,
      'PAYLOAD_TOO_LARGE',
      /‘big\.bin’ is larger than 1 MiB.*MAX_FILE_SIZE/,
    );
    const exact = await post(uploadParts([file('0', Buffer.alloc(1 << 20), 'exact.bin')]));
    assert.equal(exact?.status, 200);
    const four = ['0', '1', '2', '3'].map((field) => file(field, 'x'));
    await refused(post(uploadParts(four)), 413, 'PAYLOAD_TOO_LARGE', /at most 3.*MAX_FILES/);
    await refused(
      post(uploadParts([file('0', 'x'), file('1', Buffer.alloc((1 << 20) + 1), 'big.bin')])),
      413,
      'PAYLOAD_TOO_LARGE',
      /‘big\.bin’.*No file of this request was kept\./,
    );
  });

  it('when the client stops sending mid-file, then it gets a 408 at once and the connection is closed', async () => {
    const body = encodeParts(uploadParts([file('0', Buffer.alloc(200_000, 1))]), boundary);
    const request = rawRequest('/graphql', multipartHeaders(boundary), body);
    const answer = await sendRaw(target.port, [request.subarray(0, request.length - 100_000)], {
      watchCloseMs: 100,
    });
    await refused(
      Promise.resolve(answer),
      408,
      'REQUEST_TIMEOUT',
      /no progress for 0\.3 s while ‘0\.txt’ was arriving \(UPLOAD_IDLE_TIMEOUT\)/,
    );
    assert.equal(answer?.closed, true);
  });

  it('when the Content-Length promises more than the body, then the last file is never complete: 408', async () => {
    const body = encodeParts(uploadParts([file('0', 'whole but unfinished')]), boundary);
    await refused(
      sendRaw(target.port, [
        rawRequest(
          '/graphql',
          { ...multipartHeaders(boundary), 'content-length': String(body.length + 10) },
          body,
        ),
      ]),
      408,
      'REQUEST_TIMEOUT',
      /UPLOAD_IDLE_TIMEOUT/,
    );
  });

  it('when the client trickles bytes slower than the idle timeout, then it is cut off, and faster it passes', async () => {
    const request = rawRequest(
      '/graphql',
      multipartHeaders(boundary),
      encodeParts(uploadParts([file('0', Buffer.alloc(30, 7))]), boundary),
    );
    const chunks = Array.from({ length: Math.ceil(request.length / 60) }, (_, i) =>
      request.subarray(i * 60, (i + 1) * 60),
    );
    const slow = sendRaw(target.port, chunks, { pauseMs: 500 });
    await refused(slow, 408, 'REQUEST_TIMEOUT', /UPLOAD_IDLE_TIMEOUT/);
    const live = await sendRaw(target.port, chunks, { pauseMs: 30 });
    assert.equal(live?.status, 200, live?.body);
  });

  it('when files come in another order than the operation reads them, then it is a 400, not a hang', async () => {
    const big = (field: string) => file(field, Buffer.alloc(600_000, field.charCodeAt(0)));
    const [operations, map, zero, one] = uploadParts([big('0'), big('1')]) as Part[];
    await refused(
      post([operations as Part, map as Part, one as Part, zero as Part]),
      400,
      'BAD_USER_INPUT',
      /waiting for a file sent after file ‘1’/,
    );
  });

  it('when the client hangs up mid-file or right after the last byte, then the server lives on', async () => {
    const request = rawRequest(
      '/graphql',
      multipartHeaders(boundary),
      encodeParts(uploadParts([file('0', 'a'), file('1', Buffer.alloc(100_000))]), boundary),
    );
    for (const cut of [request.length - 50_000, request.length]) {
      await sendRaw(target.port, [request.subarray(0, cut)], { hangUp: true });
    }
    const answer = await post(uploadParts([file('0', 'still here')]));
    assert.equal(answer?.status, 200);
  });
});

describe('uploads per client', () => {
  it('when one client has the most uploads under way, then one more is refused with 429 and the others pass', async () => {
    const target = await startUploadTarget({ maxUploadsPerClient: 2, idleTimeoutMs: 5_000 });
    try {
      const body = encodeParts(uploadParts([file('0', Buffer.alloc(1000, 1))]), boundary);
      const request = rawRequest('/graphql', multipartHeaders(boundary), body);
      // Two uploads stop half-way, holding their slots…
      const held = [1, 2].map(() =>
        sendRaw(target.port, [request.subarray(0, 500), request.subarray(500)], {
          pauseMs: 1_000,
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const third = await sendRaw(target.port, [request]);
      assert.equal(third?.status, 429);
      assert.match(errorOf(third).message, /At most 2 uploads.*MAX_UPLOADS_PER_CLIENT/);
      for (const answer of await Promise.all(held)) assert.equal(answer?.status, 200);
      assert.equal((await sendRaw(target.port, [request]))?.status, 200);
    } finally {
      await target.stop();
    }
  });
});
