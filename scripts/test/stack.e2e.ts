import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { formatBytes } from '@filegraph/shared/config';
import { identityHeader } from '@filegraph/shared/identity';
import { signedAs } from '@filegraph/testing/identity';
import { createLogger } from '@filegraph/shared/logger';
import { newMember, signIn, testAdmin, tokenHeaders } from '@filegraph/testing/accounts';
import { eventually } from '@filegraph/testing/eventually';
import { errorCode, FilesClient } from '@filegraph/testing/filesClient';
import { graphql, randomContent } from '@filegraph/testing/graphql';
import { mcBinary } from '@filegraph/processes/minio';
import { exitOf, peakRss } from '@filegraph/processes/processes';
import { root } from '@filegraph/processes/root';
import { tempDir } from '@filegraph/testing/temp';
import { certificates } from '@filegraph/processes/tls';
import { loadStackConfig } from '../stack/config.ts';
import { startStack, type Stack } from '../stack/startStack.ts';
import { internalRequest } from './internal.ts';
import { keepQuerying } from './keepQuerying.ts';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Content that trickles in (`chunk` bytes every `everyMs`), so an upload is still in flight when we act. */
async function* trickle(size: number, chunk: number, everyMs: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < size; sent += chunk) {
    yield Buffer.alloc(Math.min(chunk, size - sent), sent % 251);
    await sleep(everyMs);
  }
}

type Headers = () => Record<string, string>;

describe('the native distributed stack under failure', () => {
  let stack: Stack;
  let data: { path: string; remove(): Promise<void> };
  /** The API as the first admin, with an API token (as a script uses it). */
  let api: FilesClient;
  let admin: Headers;
  /** The first admin as the gateway vouches for them to a replica (what a replica is asked as here). */
  let adminAtReplica: Headers;
  /** A query through the gateway, as the first admin. */
  const query = <T = Record<string, unknown>>(text: string) =>
    graphql<T>(stack.url, text, {}, { headers: admin() });

  before(async () => {
    data = await tempDir('stack');
    const config = loadStackConfig({
      DATA_DIR: data.path,
      PORT: '0',
      FILES_REPLICAS: '2',
      // The health query must show where the gateway sends each subgraph's requests.
      HEALTH_DETAILS: '1',
      ADMIN_EMAIL: testAdmin.email,
      ADMIN_PASSWORD: testAdmin.password,
    });
    // Every process's log, kept as a test artifact for whoever has to read a failure.
    await mkdir(join(root, 'test-results'), { recursive: true });
    const log = createWriteStream(join(root, 'test-results/stack-e2e.log'));
    stack = await startStack(
      config,
      createLogger({ level: 'info', format: 'json', write: (line) => log.write(`${line}\n`) }),
    );
    admin = await tokenHeaders(stack.url);
    api = new FilesClient(stack.url, { headers: admin });
    const me = (await query<{ me: { id: string; role: 'ADMIN' } }>('{ me { id role } }')).data?.me;
    assert.equal(me?.role, 'ADMIN');
    adminAtReplica = signedAs({ id: me.id, role: me.role, firstAdmin: true }, stack.identitySecret);
  });

  after(async () => {
    await stack?.stop();
    await data?.remove();
  });

  it('when the stack is up, then requests go gateway → HAProxy → replicas → MinIO and health sees every part', async () => {
    const file = await api.put('hello.txt', 'through the stack', { prefix: 'stack' });
    assert.equal(await (await api.download(file.url)).text(), 'through the stack');
    const part = await api.download(file.url, { range: 'bytes=8-12' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 8-12/17');
    assert.equal(part.headers.get('etag'), `"${file.checksum}"`);
    assert.equal(await part.text(), 'the s');
    // The gateway fetched those bytes straight from MinIO (shared/handoff.ts), not through a replica.
    assert.doesNotMatch(stack.gateway.process.output(), /hand-off failed/);
    const report = await query<{
      health: {
        status: string;
        dependencies: unknown[];
        services: Array<{ name: string; instances: unknown[] }>;
        supergraph: { status: string; subgraphs: Array<{ url: string }> };
      };
    }>(
      `
        {
          health {
            status
            dependencies {
              name
              status
              error
            }
            services {
              name
              instances {
                name
                status
                error
              }
            }
            supergraph {
              status
              subgraphs {
                url
              }
            }
          }
        }
      `,
    );
    assert.equal(report.data?.health.status, 'OK', JSON.stringify(report));
    assert.equal(report.data?.health.services.find((s) => s.name === 'files')?.instances.length, 2);
    for (const subgraph of report.data?.health.supergraph.subgraphs ?? [])
      assert.ok(subgraph.url.startsWith(stack.addresses.router));
  });

  it('when the stack is up, then both accounts replicas are registered in Consul and health says each is OK', async () => {
    const listed = (await (
      await fetch(`http://${stack.addresses.consulHttp}/v1/health/service/accounts?passing=true`, {
        headers: { 'X-Consul-Token': stack.consulTokens.dns },
      })
    ).json()) as unknown[];
    assert.equal(listed.length, 2);
    const report = await query<{
      health: { services: Array<{ name: string; instances: Array<{ status: string }> }> };
    }>('{ health { services { name instances { status } } } }');
    const accounts = report.data?.health.services.find((s) => s.name === 'accounts');
    assert.deepEqual(
      accounts?.instances.map((i) => i.status),
      ['OK', 'OK'],
      JSON.stringify(report),
    );
  });

  it('when two members each store notes.txt, then each has their own, and neither can read, change or download the other’s', async () => {
    const alice = api.as(await newMember(stack.url, admin, 'alice@filegraph.test'));
    const bob = api.as(await newMember(stack.url, admin, 'bob@filegraph.test'));
    const a = await alice.put('notes.txt', 'alice’s notes');
    const b = await bob.put('notes.txt', 'bob’s notes');
    assert.notEqual(a.id, b.id);
    for (const [me, mine, theirs, text] of [
      [alice, a, b, 'alice’s notes'],
      [bob, b, a, 'bob’s notes'],
    ] as const) {
      assert.equal(await (await me.download(mine.url)).text(), text);
      assert.deepEqual(
        (await me.all()).map((f) => f.id),
        [mine.id],
      );
      assert.equal((await me.file(theirs.id)).data?.file, null);
      assert.equal(errorCode(await me.rename(theirs.id, 'taken.txt')), 'NOT_FOUND');
      assert.equal((await me.download(theirs.url)).status, 404);
    }
    // The admin acts on any file by id.
    assert.equal((await api.file(a.id)).data?.file?.name, 'notes.txt');
  });

  it('when a files replica is sent a forged identity, then it answers 401; signed with the stack’s secret, it answers', async () => {
    const replica = stack.files[0]?.url ?? assert.fail('no files replica');
    // Reached as the gateway reaches it: its certificate passes, only the identity is in question.
    const agent = stack.tlsAs('gateway')?.agentFor('files');
    const ask = (headers: Record<string, string>) =>
      graphql(replica, '{ files(first: 1) { totalCount } }', {}, { agent, headers });
    const someAdmin = { id: randomUUID(), role: 'ADMIN', firstAdmin: false } as const;
    const forged = await ask(signedAs(someAdmin, 'not the stack’s secret, but long enough')());
    assert.equal(forged.status, 401);
    assert.equal(errorCode(forged), 'UNAUTHENTICATED');
    const none = await ask({});
    assert.equal(none.status, 401);
    // A member's genuine header, made an admin's: the signature no longer fits.
    const member =
      signedAs({ ...someAdmin, role: 'MEMBER' }, stack.identitySecret)()[identityHeader] ?? '';
    const [version, body = '', signature] = member.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      c: { r: string };
    };
    payload.c.r = 'ADMIN';
    const promoted = [
      version,
      Buffer.from(JSON.stringify(payload)).toString('base64url'),
      signature,
    ];
    assert.equal((await ask({ [identityHeader]: promoted.join('.') })).status, 401);
    const genuine = await ask(signedAs(someAdmin, stack.identitySecret)());
    assert.equal(genuine.status, 200, JSON.stringify(genuine));
    assert.equal(genuine.errors, undefined);
  });

  it('when an accounts replica is killed, then nobody is signed out, signing in keeps working, and the replica comes back', async (t) => {
    const cookie = await signIn(stack.url);
    const me = (headers: Record<string, string>) =>
      graphql<{ me: { email: string } | null }>(stack.url, '{ me { email } }', {}, { headers });
    assert.equal((await me({ cookie })).data?.me?.email, testAdmin.email);
    const queries = keepQuerying(stack.url, 2, admin);
    const [victim] = stack.accounts;
    assert.ok(victim);
    const pid = victim.process.pid;
    victim.kill('SIGKILL');
    // Past the gateway's 5 s of cache: every credential is asked of the accounts service again.
    await sleep(6_000);
    assert.equal((await me({ cookie })).data?.me?.email, testAdmin.email, 'the session lives');
    assert.equal((await query('{ files { totalCount } }')).errors, undefined, 'the token works');
    for (let i = 0; i < 4; i += 1) assert.match(await signIn(stack.url), /^fg_session=/);
    const { failures, latencies } = await queries.stop();
    t.diagnostic(
      `${latencies.length} signed-in queries while an accounts replica died, slowest ${Math.round(Math.max(...latencies))} ms`,
    );
    assert.deepEqual(failures, []);
    await eventually(
      'the killed accounts replica is back and OK',
      async () => {
        if (victim.process.pid === pid) return undefined;
        const report = await query<{
          health: { services: Array<{ name: string; instances: Array<{ status: string }> }> };
        }>('{ health { services { name instances { status } } } }');
        const accounts = report.data?.health.services.find((s) => s.name === 'accounts');
        return accounts?.instances.filter((i) => i.status === 'OK').length === 2 ? true : undefined;
      },
      30_000,
    );
    assert.equal((await me({ cookie })).data?.me?.email, testAdmin.email);
  });

  it('when a file is uploaded, renamed or deleted on one replica, then the other replica answers accordingly at once', async () => {
    const listed = (await (
      await fetch(`http://${stack.addresses.consulHttp}/v1/health/service/files?passing=true`, {
        // Consul runs with ACLs, default deny: reading needs a token (this one only reads).
        headers: { 'X-Consul-Token': stack.consulTokens.dns },
      })
    ).json()) as Array<{ Service: { Address: string; Port: number } }>;
    // Called as the gateway's router calls them: over internal TLS, with a certificate of ours.
    const agent = stack.tlsAs('haproxy')?.agentFor('files');
    const [one, other] = listed.map(
      ({ Service }) =>
        new FilesClient(`${agent ? 'https' : 'http'}://${Service.Address}:${Service.Port}`, {
          agent,
          headers: adminAtReplica,
        }),
    );
    assert.ok(one && other, 'two files replicas in Consul');
    const searchOther = async (term: string) =>
      (await other.all({ search: term })).map((file) => file.name);
    // One catalogue for every replica: what one did, the other sees in its very next answer.
    const file = await one.put('peer-seen.txt', 'seen by the other replica', { prefix: 'peers' });
    assert.deepEqual(await searchOther('peer-seen'), ['peers/peer-seen.txt']);
    assert.equal((await one.rename(file.id, 'peers/peer-renamed.txt')).errors, undefined);
    assert.deepEqual(await searchOther('peer-seen'), []);
    assert.deepEqual(await searchOther('peer-renamed'), ['peers/peer-renamed.txt']);
    assert.equal((await other.file(file.id)).data?.file?.name, 'peers/peer-renamed.txt');
    await one.delete([file.id]);
    assert.deepEqual(await searchOther('peer-renamed'), []);
    assert.deepEqual(
      (await other.trash()).data?.trash.nodes.map((f) => f.id),
      [file.id],
    );
  });

  it('when a stranger registers itself in Consul as haproxy or as files, then Consul refuses it and it gets no request (issue 19)', async () => {
    let received = 0;
    const stranger = createServer((_request, response) => {
      received += 1;
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
    const { port } = stranger.address() as AddressInfo;
    try {
      const answers: string[] = [];
      for (const name of ['haproxy', 'files']) {
        for (const [who, token] of [
          ['no token', undefined],
          ['a wrong token', randomUUID()],
          ['the read-only DNS token', stack.consulTokens.dns],
          ['the health service’s token', stack.consulTokens.health],
        ] as const) {
          const response = await fetch(
            `http://${stack.addresses.consulHttp}/v1/agent/service/register`,
            {
              method: 'PUT',
              headers: token ? { 'X-Consul-Token': token } : {},
              body: JSON.stringify({
                // Sorts before every real instance: the gateway routes through the
                // first router it finds, HAProxy spreads over every files instance.
                ID: `0-stranger-${name}`,
                Name: name,
                Address: '127.0.0.1',
                Port: port,
                Tags: name === 'files' ? ['graphql-subgraph'] : ['subgraph-router'],
                Meta: name === 'files' ? { graphql_path: '/graphql' } : {},
                Check: {
                  HTTP: `http://127.0.0.1:${port}/health`,
                  Interval: '1s',
                  Status: 'passing',
                },
              }),
            },
          );
          answers.push(`${name} with ${who}: ${response.status} ${await response.text()}`);
        }
      }
      for (const answer of answers) assert.match(answer, /: 403 (Permission denied|ACL not found)/);

      // A while of ordinary use: queries and an upload through the gateway.
      const queries = keepQuerying(stack.url, 2, admin);
      const file = await api.put('after-strangers.txt', 'real replicas only', {
        prefix: 'issue19',
      });
      await sleep(5_000);
      const { failures, latencies } = await queries.stop();
      assert.deepEqual(failures, []);
      assert.ok(latencies.length > 10);
      assert.equal(await (await api.download(file.url)).text(), 'real replicas only');
      const services = (await (
        await fetch(`http://${stack.addresses.consulHttp}/v1/agent/services`, {
          headers: { 'X-Consul-Token': stack.consulTokens.management },
        })
      ).json()) as Record<string, unknown>;
      assert.deepEqual(
        Object.keys(services).filter((id) => id.includes('stranger')),
        [],
      );
      assert.equal(received, 0, 'requests that reached the stranger');
    } finally {
      stranger.closeAllConnections();
      await new Promise((resolve) => stranger.close(resolve));
    }
  });

  it('when a process holding a Consul token but no certificate of ours registers as haproxy and as files, then it gets no request, the stack serves on, and health names it (issue 19)', async () => {
    const strangers = await tempDir('stranger-certs');
    // One speaks plain HTTP; the other HTTPS with a certificate naming files, from another CA.
    const theirs = await certificates(strangers.path, ['files']);
    const seen: string[] = [];
    const plain = createServer((request, response) => {
      seen.push(`plain ${request.url}`);
      response.end('{}');
    });
    const impostor = createHttpsServer(theirs.files?.server ?? {}, (request, response) => {
      seen.push(`tls ${request.url}`);
      response.end('{}');
    });
    const listening = async (server: Server) => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    };
    const [plainPort, impostorPort] = [await listening(plain), await listening(impostor)];
    const register = (body: object) =>
      fetch(`http://${stack.addresses.consulHttp}/v1/agent/service/register`, {
        method: 'PUT',
        // A stolen token that may register anything: ACLs are passed, certificates are not.
        headers: { 'X-Consul-Token': stack.consulTokens.management },
        body: JSON.stringify(body),
      });
    const deregister = (id: string) =>
      fetch(`http://${stack.addresses.consulHttp}/v1/agent/service/deregister/${id}`, {
        method: 'PUT',
        headers: { 'X-Consul-Token': stack.consulTokens.management },
      });
    // TTL checks they mark passing themselves: Consul calls them healthy.
    const passing = { TTL: '1h', Status: 'passing' };
    try {
      const queries = keepQuerying(stack.url, 2, admin);
      for (const [id, name, port] of [
        ['0-stranger-router', 'haproxy', plainPort],
        ['0-stranger-router-tls', 'haproxy', impostorPort],
        ['0-stranger-files', 'files', plainPort],
        ['0-stranger-files-tls', 'files', impostorPort],
      ] as const) {
        const answer = await register({
          ID: id,
          Name: name,
          Address: '127.0.0.1',
          Port: port,
          Tags: name === 'files' ? ['graphql-subgraph'] : ['subgraph-router'],
          Meta: name === 'files' ? { graphql_path: '/graphql' } : {},
          Check: passing,
        });
        assert.equal(answer.status, 200, `${id}: ${await answer.text()}`);
      }
      // Uploads and downloads meanwhile, and long enough for HAProxy to find and check them.
      const files = [];
      for (let i = 0; i < 5; i += 1) {
        files.push(await api.put(`among-strangers-${i}.txt`, `genuine ${i}`, { prefix: 'tls' }));
        await sleep(1_000);
      }
      for (const [i, file] of files.entries())
        assert.equal(await (await api.download(file.url)).text(), `genuine ${i}`);
      const { failures, latencies } = await queries.stop();
      assert.deepEqual(failures, []);
      assert.ok(latencies.length > 10);
      assert.deepEqual(seen, [], 'requests that reached a process without our certificate');

      const report = await eventually('health names the impostors', async () => {
        const answer = await query<{
          health: {
            status: string;
            services: Array<{ name: string; instances: Array<{ name: string; status: string }> }>;
          };
        }>('{ health { status services { name instances { name status } } } }');
        const files = answer.data?.health.services.find((service) => service.name === 'files');
        const impostors = files?.instances.filter((i) => i.name.startsWith('0-stranger'));
        return impostors?.length === 2 && impostors.every((i) => i.status === 'DOWN')
          ? answer.data?.health
          : undefined;
      });
      assert.equal(report.status, 'DEGRADED');
      assert.deepEqual(seen, []);
    } finally {
      for (const id of ['router', 'router-tls', 'files', 'files-tls'])
        await deregister(`0-stranger-${id}`);
      for (const server of [plain, impostor]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await strangers.remove();
    }
  });

  it('when the files replicas use MinIO, then they do so as a user that reaches their bucket only, and sign download URLs as it', async () => {
    const { MINIO_ACCESS_KEY: user = '', MINIO_SECRET_KEY: secret = '' } = stack.filesEnv;
    assert.equal(user, 'filegraph-files');
    assert.notEqual(user, loadStackConfig({}).minioUser, 'not the root user');
    const mc = (...args: string[]) =>
      spawnSync(mcBinary(), args, {
        env: { ...process.env, MC_CONFIG_DIR: join(data.path, 'mc-test') },
        encoding: 'utf8',
      });
    assert.equal(mc('alias', 'set', 'files', stack.addresses.minio, user, secret).status, 0);
    const refused = mc('mb', 'files/another-bucket');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stdout + refused.stderr, /Access Denied/);
    assert.equal(mc('ls', 'files/filegraph').status, 0);
    // The hand-off the gateway fetches from is presigned by the replica, with that user.
    const file = await api.put('signed.txt', 'signed', { prefix: 'least-privilege' });
    const replica = stack.files[0]?.url ?? '';
    const handoff = await internalRequest(stack, `${replica}/download/${file.id}`, 'files', {
      headers: { 'x-filegraph-handoff': '1', ...adminAtReplica() },
    });
    const { url } = JSON.parse(handoff.text) as { url: string };
    assert.match(url, /X-Amz-Credential=filegraph-files%2F/);
  });

  it('when a files replica is killed with SIGKILL, then no query fails, and uploads in flight on it fail retriably, leaving nothing partial', async (t) => {
    const queries = keepQuerying(stack.url, 2, admin);
    const uploads = Array.from({ length: 4 }, (_, i) =>
      api.upload(
        [{ filename: `inflight-${i}.bin`, content: trickle(6 * 2 ** 20, 256 * 1024, 100) }],
        { prefix: 'failover' },
      ),
    );
    // Kill the replica HAProxy gave uploads to.
    const victim = await eventually('a replica with uploads in flight', async () => {
      for (const replica of stack.files) {
        const metrics = (await internalRequest(stack, `${replica.url}/metrics`, 'files')).text;
        const inFlight = Number(
          /filegraph_http_requests_in_flight\{route="\/graphql"\} (\d+)/.exec(metrics)?.[1] ?? 0,
        );
        if (inFlight > 0) return replica;
      }
      return undefined;
    });
    await sleep(500);
    victim.kill('SIGKILL');
    const results = await Promise.all(uploads);
    await sleep(2_000);
    const { failures, latencies } = await queries.stop();
    const gap = Math.max(...latencies);
    t.diagnostic(
      `${latencies.length} queries while a replica died, slowest ${Math.round(gap)} ms (the failover gap)`,
    );
    assert.deepEqual(failures, []);

    const stored = new Map((await api.all({ prefix: 'failover' })).map((f) => [f.name, f]));
    const refused = results.filter((r) => !r.data?.uploadFiles);
    t.diagnostic(`${refused.length} of 4 uploads were on the killed replica`);
    assert.ok(refused.length >= 1, 'some upload was in flight on the killed replica');
    for (const [index, result] of results.entries()) {
      const name = `failover/inflight-${index}.bin`;
      if (result.data?.uploadFiles) {
        assert.equal(stored.get(name)?.size, 6 * 2 ** 20);
      } else {
        assert.equal(errorCode(result), 'UNAVAILABLE', JSON.stringify(result.errors));
        assert.match(result.errors?.[0]?.message ?? '', /try again/);
        assert.equal(stored.has(name), false, `${name} must not be partly stored`);
      }
    }
    // Restarted by the stack; the dead instance stays listed, as down, until Consul drops it.
    await eventually(
      'two replicas up again',
      async () => {
        const report = await query<{
          health: { services: Array<{ name: string; instances: Array<{ status: string }> }> };
        }>('{ health { services { name instances { status } } } }');
        const files = report.data?.health.services.find((s) => s.name === 'files');
        return (files?.instances.filter((i) => i.status === 'OK').length ?? 0) >= 2
          ? true
          : undefined;
      },
      30_000,
    );
  });

  it('when MinIO is killed, then uploads say storage is unavailable while listings still answer; restarted on the same data, every file is back byte for byte', async () => {
    const contents = new Map<string, Buffer>([
      ['keep/empty.txt', Buffer.alloc(0)],
      ['keep/small.txt', Buffer.from('small and precious')],
      [
        'keep/large.bin',
        Buffer.from(Array.from({ length: 12 * 2 ** 20 }, (_, i) => (i * 13) % 256)),
      ],
    ]);
    for (const [name, content] of contents)
      await api.put(name.split('/')[1] as string, content, { prefix: 'keep' });

    stack.minio.kill('SIGKILL', { restart: false });
    await exitOf(stack.minio.process.child);
    // PostgreSQL, not the bucket, answers listings.
    const listing = await api.all({ prefix: 'keep' });
    assert.deepEqual(listing.map((f) => f.name).sort(), [...contents.keys()].sort());
    const lost = await api.upload([{ filename: 'lost.txt', content: 'x' }], { prefix: 'keep' });
    assert.equal(errorCode(lost), 'UNAVAILABLE');
    assert.match(lost.errors?.[0]?.message ?? '', /storage .* is not answering/);

    await stack.minio.start();
    const files = await api.all({ prefix: 'keep' });
    assert.deepEqual(files.map((f) => f.name).sort(), [...contents.keys()].sort());
    for (const file of files) {
      const bytes = Buffer.from(await (await api.download(file.url)).arrayBuffer());
      assert.equal(sha256(bytes), sha256(contents.get(file.name) as Buffer), file.name);
    }
  });

  it('when MinIO is killed mid-upload, then the client is told UNAVAILABLE while it is still sending, and nothing of it is kept (issue 19)', async (t) => {
    const total = 400 * 2 ** 20;
    let sent = 0;
    async function* steady(): AsyncGenerator<Uint8Array> {
      // 1 MiB every 10 ms: ~40 s for all of it, far longer than the test waits.
      for (; sent < total; sent += 2 ** 20) {
        yield Buffer.alloc(2 ** 20, sent % 251);
        await sleep(10);
      }
    }
    const upload = api.upload([{ filename: 'cut-short.bin', content: steady() }], {
      prefix: 'minio-died',
    });
    await eventually('the upload is under way', async () =>
      sent > 16 * 2 ** 20 ? true : undefined,
    );
    const killedAt = performance.now();
    stack.minio.kill('SIGKILL', { restart: false });
    const answer = await upload;
    const toldAfterMs = performance.now() - killedAt;
    t.diagnostic(
      `told ${errorCode(answer)} ${Math.round(toldAfterMs)} ms after MinIO died, ${formatBytes(sent)} of ${formatBytes(total)} sent`,
    );
    assert.equal(errorCode(answer), 'UNAVAILABLE');
    assert.match(answer.errors?.[0]?.message ?? '', /storage/);
    assert.ok(sent < total / 2, `the client had to send ${formatBytes(sent)} before it was told`);
    await stack.minio.start();
    assert.deepEqual(await api.all({ prefix: 'minio-died' }), []);
  });

  it('when Consul stops, then the gateway keeps serving; when it starts again empty, every instance registers again', async (t) => {
    stack.consul.kill('SIGTERM', { restart: false });
    await exitOf(stack.consul.process.child);
    // Longer than HAProxy's default hold (30 s) on DNS errors: it must keep the replicas it knows.
    const queries = keepQuerying(stack.url, 1, admin);
    await sleep(35_000);
    const { failures, latencies } = await queries.stop();
    assert.deepEqual(failures, []);
    assert.ok(latencies.length > 10);
    const file = await api.put('while-consul-is-down.txt', 'still writable', { prefix: 'consul' });
    assert.equal(await (await api.download(file.url)).text(), 'still writable');

    const restarted = performance.now();
    await stack.consul.start();
    await eventually(
      'files ×2, accounts ×2, health and the gateway registered again',
      async () => {
        const services = (await (
          await fetch(`http://${stack.addresses.consulHttp}/v1/agent/services`, {
            headers: { 'X-Consul-Token': stack.consulTokens.dns },
          })
        ).json()) as Record<string, { Service: string }>;
        const names = Object.values(services).map((s) => s.Service);
        return names.filter((n) => n === 'files').length === 2 &&
          names.filter((n) => n === 'accounts').length === 2 &&
          names.includes('health') &&
          names.includes('gateway') &&
          names.includes('haproxy')
          ? names
          : undefined;
      },
      30_000,
    );
    t.diagnostic(
      `everything registered again ${Math.round(performance.now() - restarted)} ms after Consul restarted`,
    );
    assert.equal((await query('{ files { totalCount } }')).errors, undefined);
  });

  it('when 1 GiB goes through gateway → HAProxy → replica → MinIO, then it arrives whole and no process’s memory grows with it', async (t) => {
    const processes = [stack.gateway, ...stack.files];
    const before = await Promise.all(processes.map((p) => peakRss(p.process.pid)));
    const source = randomContent(2 ** 30);
    const started = performance.now();
    const file = await api.put('one-gib.bin', source.content, { prefix: 'big' });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(file.size, 2 ** 30);
    assert.equal(file.checksum, source.sha256());
    const peaks = await Promise.all(processes.map((p) => peakRss(p.process.pid)));
    t.diagnostic(
      `1 GiB through the stack in ${seconds.toFixed(1)} s (${(1024 / seconds).toFixed(0)} MiB/s)`,
    );
    for (const [index, service] of processes.entries()) {
      const grew = (peaks[index] as number) - (before[index] as number);
      t.diagnostic(
        `${service.name}: peak RSS ${formatBytes(peaks[index] as number)}, grew ${formatBytes(Math.max(grew, 0))} during the upload`,
      );
      assert.ok(grew < 64 * 2 ** 20, `${service.name} grew by ${formatBytes(grew)}`);
    }
    const hash = createHash('sha256');
    for await (const chunk of (await api.download(file.url)).body ?? []) hash.update(chunk);
    assert.equal(hash.digest('hex'), file.checksum, 'downloaded through the stack byte for byte');
  });
});
