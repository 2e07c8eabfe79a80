import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { FilesClient } from '@filegraph/testing/filesClient';
import { damage, mutation } from '@filegraph/testing/multipartMutations';
import { encodeParts, multipartHeaders, uploadParts } from '@filegraph/testing/multipartParts';
import { rawRequest, sendRaw, type RawAnswer } from '@filegraph/testing/rawHttp';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

/**
 * Mutation fuzzing of the multipart upload reader, against real processes:
 * the embedded default (the gateway's reader, then the files subgraph's
 * behind it) and a files subgraph on its own. FUZZ_RUNS sets how many
 * random requests each gets (`npm run fuzz` runs many; `npm test` a few
 * hundred); FUZZ_SEED (and FUZZ_PATH) replay a run (or one case).
 *
 * Whatever arrives: no process ends, every answer comes (within the idle
 * timeout) and is a 2xx or 4xx with one of our codes, and what is stored is
 * exactly what a 200 answer listed — never a partial file.
 */

const runs = Number(process.env.FUZZ_RUNS ?? 150);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** With FUZZ_SEED, replays one failing case (fast-check prints both). */
const path = process.env.FUZZ_PATH;
const env = { UPLOAD_IDLE_TIMEOUT: '400ms', MAX_FILES: '3', MAX_FILE_SIZE: '64KiB' };
const statuses = new Set([200, 400, 408, 409, 413]);
const codes = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'QUERY_TOO_COMPLEX',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'REQUEST_TIMEOUT',
  'CLIENT_CLOSED_REQUEST',
]);

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

interface Uploaded {
  readonly id?: string;
  readonly name: string;
  readonly checksum: string;
}

/** What a 200 answer says was stored; throws on anything a client must never see. */
function checked(answer: RawAnswer, label: string): Uploaded[] {
  assert.ok(statuses.has(answer.status), `${label}: HTTP ${answer.status} ${answer.body}`);
  // Node's own HTTP parser refuses broken framing (400) with an empty body.
  if (answer.body === '' && answer.status === 400) return [];
  const body = JSON.parse(answer.body) as {
    data?: { uploadFiles?: Uploaded[] } | null;
    errors?: Array<{ extensions?: { code?: string } }>;
  };
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code ?? '';
    assert.ok(codes.has(code), `${label}: code ${code} in ${answer.body}`);
  }
  return body.data?.uploadFiles ?? [];
}

/** The files under `prefix` as name → checksum. */
async function stored(api: FilesClient, prefix: string): Promise<Uploaded[]> {
  return (await api.all({ prefix })).map(({ name, checksum }) => ({ name, checksum }));
}

const byName = (files: readonly Uploaded[]) =>
  files
    .map(({ name, checksum }) => ({ name, checksum }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

for (const which of ['embedded', 'files'] as const) {
  describe(`the multipart reader of ${which === 'embedded' ? 'the gateway (embedded default)' : 'the files subgraph'}, fuzzed`, () => {
    let service: RunningService;
    let data: { path: string; remove(): Promise<void> };
    let api: FilesClient;
    let port: number;

    before(async () => {
      data = await tempDir(`fuzz-${which}`);
      service = await startService(which, { ...env, DATA_DIR: data.path });
      api = new FilesClient(service.url);
      port = Number(new URL(service.url).port);
    });
    after(async () => {
      await service?.stop();
      await data?.remove();
    });

    const alive = () =>
      assert.equal(
        service.process.child.exitCode,
        null,
        `${which} died:\n${service.process.output().slice(-3000)}`,
      );

    it('when a small request is cut at every byte of its body, then each cut is a 4xx and nothing is stored', async () => {
      const parts = uploadParts(
        [
          { field: '0', filename: 'one.txt', content: Buffer.from('first file') },
          { field: '1', filename: 'two.txt', content: Buffer.from('second') },
        ],
        'cut',
      );
      const body = encodeParts(parts, 'b');
      // The CRLF after the closing delimiter is optional (RFC 2046): cuts before it.
      for (let length = 0; length < body.length - 2; length += 1) {
        const answer = await sendRaw(
          port,
          [rawRequest('/graphql', multipartHeaders('b'), body.subarray(0, length))],
          { timeoutMs: 5_000 },
        );
        assert.ok(answer, `an answer for a body cut at ${length}`);
        assert.ok(
          answer.status >= 400 && answer.status < 500,
          `cut at ${length}: ${answer.status}`,
        );
        checked(answer, `cut at ${length}`);
        // Cut while sending, connection dropped: nothing to answer, nothing to die of.
        await sendRaw(
          port,
          [rawRequest('/graphql', multipartHeaders('b'), body).subarray(0, length + 150)],
          {
            hangUp: true,
          },
        );
      }
      alive();
      assert.deepEqual(await stored(api, 'cut'), []);
      const whole = await sendRaw(port, [rawRequest('/graphql', multipartHeaders('b'), body)]);
      assert.equal(whole?.status, 200, whole?.body);
    });

    it('when requests are reordered, repeated, cut, spliced, trickled and mislabelled at random, then the process lives and keeps nothing partial', async () => {
      let id = 0;
      const file = fc.record({
        name: fc.stringMatching(/^[a-z0-9]{1,8}\.(txt|bin)$/),
        content: fc.uint8Array({ maxLength: 3000 }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(file, { minLength: 1, maxLength: 3 }),
          fc.array(mutation, { maxLength: 3 }),
          async (files, mutations) => {
            id += 1;
            const prefix = `fuzz/${id}`;
            const parts = uploadParts(
              files.map((f, i) => ({
                field: String(i),
                filename: f.name,
                content: Buffer.from(f.content),
              })),
              prefix,
            );
            const request = damage(parts, mutations);
            const label = JSON.stringify(mutations.map((m) => m.kind));
            const answer = await sendRaw(port, request.chunks, {
              pauseMs: request.pauseMs,
              hangUp: request.hangUp,
              timeoutMs: 10_000,
            });
            alive();
            if (request.hangUp) return;
            assert.ok(answer, `${label}: no answer within 10 s`);
            const answered = checked(answer, label);
            // A damaged `prefix` may put files elsewhere: each answered one is
            // looked up where it is, and the case's folder holds no others.
            for (const file of answered) {
              const found = (await api.file(file.id ?? '')).data?.file;
              assert.equal(found?.checksum, file.checksum, `${label}: ${file.name} is stored`);
            }
            const kept = await stored(api, prefix);
            assert.deepEqual(
              byName(kept),
              byName(answered.filter((file) => file.name.startsWith(`${prefix}/`))),
              `${label}: stored is what was answered`,
            );
            const untouched = mutations.every((m) => m.kind === 'trickle' || m.kind === 'chunked');
            // Trickled in, headers may make no progress for the idle timeout: 408 is fair.
            const slow = mutations.some((m) => m.kind === 'trickle') && answer.status === 408;
            // One request may not carry two files of one name: refused, nothing kept.
            const repeated = new Set(files.map((f) => f.name)).size < files.length;
            if (untouched && !slow && repeated) {
              assert.match(answer.body, /"code":"CONFLICT"/, `${label}: ${answer.body}`);
              assert.deepEqual(kept, []);
            } else if (untouched && !slow) {
              assert.equal(answer.status, 200, `${label}: ${answer.body}`);
              assert.deepEqual(
                kept.map((f) => f.checksum).sort(),
                files.map((f) => sha256(f.content)).sort(),
              );
            }
          },
        ),
        { numRuns: runs, ...(seed === undefined ? {} : { seed }), ...(path ? { path } : {}) },
      );
      for (const file of await api.all({ prefix: 'fuzz' })) {
        const bytes = Buffer.from(await (await api.download(file.url)).arrayBuffer());
        assert.equal(sha256(bytes), file.checksum, `${file.name} is whole`);
      }
      const errors = service.process
        .output()
        .split('\n')
        .filter((line) => line.includes('"level":"error"'));
      assert.deepEqual(errors, [], 'nothing was logged as an error');
    });
  });
}
