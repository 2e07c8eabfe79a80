import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { tokenHeaders } from '@filegraph/testing/accounts';
import { FilesClient } from '@filegraph/testing/filesClient';
import { signedAs, testCallers } from '@filegraph/testing/identity';
import { damage, mutation, type Damaged } from '@filegraph/testing/multipartMutations';
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
 *
 * Every request says who sends it, as a real client's would (a Bearer token
 * at the gateway, the gateway's signed identity at the subgraph), so the
 * fuzz reaches the reader; requests that say it wrongly or not at all are
 * refused before any of it (401) and keep nothing.
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

/** `request` with `headers` after its request line, in chunks of the same size as before. */
function sentAs(request: Damaged, headers: Record<string, string>): Damaged {
  const whole = Buffer.concat(request.chunks);
  const afterRequestLine = whole.indexOf('\r\n') + 2;
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  const signed = Buffer.concat([
    whole.subarray(0, afterRequestLine),
    Buffer.from(lines.join('')),
    whole.subarray(afterRequestLine),
  ]);
  const size = request.chunks.length > 1 ? (request.chunks[0]?.length ?? 1) : signed.length;
  const chunks: Buffer[] = [];
  for (let at = 0; at < signed.length; at += size) chunks.push(signed.subarray(at, at + size));
  return { ...request, chunks };
}

/** Every file under `folder`, at any depth, but the databases' (SQLite's journals come and go). */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !/\.(db|sqlite)(-wal|-shm|-journal)?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A request to the gateway with no credential at all. */
const anonymous = 'no token';

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
    /** Who the fuzzed requests come from: the first admin's token, or alice as the gateway vouches for her. */
    let identity: () => Record<string, string>;

    before(async () => {
      data = await tempDir(`fuzz-${which}`);
      service = await startService(which, { ...env, DATA_DIR: data.path });
      identity =
        which === 'embedded' ? await tokenHeaders(service.url) : signedAs(testCallers.alice);
      api = new FilesClient(service.url, { headers: identity });
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
          [
            rawRequest(
              '/graphql',
              { ...multipartHeaders('b'), ...identity() },
              body.subarray(0, length),
            ),
          ],
          { timeoutMs: 5_000 },
        );
        assert.ok(answer, `an answer for a body cut at ${length}`);
        assert.ok(
          answer.status >= 400 && answer.status < 500,
          `cut at ${length}: ${answer.status}`,
        );
        checked(answer, `cut at ${length}`);
        // Cut while sending, connection dropped: nothing to answer, nothing to die of.
        const request = rawRequest('/graphql', { ...multipartHeaders('b'), ...identity() }, body);
        await sendRaw(port, [request.subarray(0, request.length - body.length + length)], {
          hangUp: true,
        });
      }
      alive();
      assert.deepEqual(await stored(api, 'cut'), []);
      const whole = await sendRaw(port, [
        rawRequest('/graphql', { ...multipartHeaders('b'), ...identity() }, body),
      ]);
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
            const request = sentAs(damage(parts, mutations), identity());
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

    it('when a request says nobody, or says it wrongly, then whatever its body it is refused (401) before any of it is read, and nothing is stored', async () => {
      // Through the gateway, a script's token: none, or one that is not ours. Straight to the
      // files subgraph, the gateway's identity: none, or signed with another secret.
      const strangers: Array<[string, () => Record<string, string>]> =
        which === 'embedded'
          ? [
              [anonymous, () => ({})],
              ['a made-up token', () => ({ authorization: 'Bearer fg_made-up' })],
            ]
          : [
              ['no identity', () => ({})],
              [
                'an identity signed with another secret',
                signedAs(testCallers.alice, 'another secret, not the one it was given'),
              ],
            ];
      const objects = await filesUnder(data.path);
      let id = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...strangers),
          fc.array(
            fc.record({ name: fc.stringMatching(/^[a-z0-9]{1,8}\.txt$/), content: fc.string() }),
            { minLength: 1, maxLength: 3 },
          ),
          fc.array(mutation, { maxLength: 3 }),
          async ([who, headers], files, mutations) => {
            id += 1;
            const parts = uploadParts(
              files.map((f, i) => ({
                field: String(i),
                filename: f.name,
                content: Buffer.from(f.content),
              })),
              `nobody/${id}`,
            );
            const request = sentAs(damage(parts, mutations), headers());
            const label = `${who}, ${JSON.stringify(mutations.map((m) => m.kind))}`;
            const answer = await sendRaw(port, request.chunks, {
              pauseMs: request.pauseMs,
              hangUp: request.hangUp,
              timeoutMs: 10_000,
            });
            alive();
            if (request.hangUp) return;
            assert.ok(answer, `${label}: no answer within 10 s`);
            assert.equal(answer.status, 401, `${label}: ${answer.body}`);
            assert.match(answer.body, /"code":"UNAUTHENTICATED"/, label);
          },
        ),
        {
          numRuns: Math.max(20, Math.round(runs / 3)),
          ...(seed === undefined ? {} : { seed }),
          ...(path ? { path } : {}),
        },
      );
      assert.deepEqual(await stored(api, 'nobody'), []);
      assert.deepEqual(await filesUnder(data.path), objects, 'no file appeared under DATA_DIR');
    });
  });
}
