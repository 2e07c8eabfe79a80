import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@filegraph/shared/logger';
import { newMember, testAdmin, tokenHeaders } from '@filegraph/testing/accounts';
import { eventually } from '@filegraph/testing/eventually';
import { graphql } from '@filegraph/testing/graphql';
import { root } from '@filegraph/processes/root';
import { tempDir } from '@filegraph/testing/temp';
import { loadStackConfig } from '../stack/config.ts';
import { startStack, type Stack } from '../stack/startStack.ts';
import { internalRequest } from './internal.ts';
import { keepQuerying } from './keepQuerying.ts';

/** HAProxy's own view of the files servers: address → status. */
async function routerView(stack: Stack): Promise<Map<string, string>> {
  const [header = '', ...lines] = (
    await (await fetch(`${stack.addresses.stats};csv`)).text()
  ).split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const [status, addr] = [columns.indexOf('status'), columns.indexOf('addr')];
  const view = new Map<string, string>();
  for (const row of lines.map((line) => line.split(',')))
    if (row[0] === 'files' && row[addr]) view.set(row[addr] as string, row[status] ?? '');
  return view;
}

/** How many GraphQL requests a replica has served, from its own metrics. */
async function served(stack: Stack, url: string): Promise<number> {
  const metrics = (await internalRequest(stack, `${url}/metrics`, 'files')).text;
  let total = 0;
  for (const match of metrics.matchAll(
    /^filegraph_http_requests_total\{[^}]*route="\/graphql"[^}]*\} (\d+)/gm,
  ))
    total += Number(match[1]);
  return total;
}

interface HealthReport {
  status: string;
  services: Array<{
    name: string;
    status: string;
    instances: Array<{ name: string; status: string; error: string | null }>;
  }>;
}

describe('five files replicas behind the router', () => {
  let stack: Stack;
  let data: { path: string; remove(): Promise<void> };
  /** The first admin, with an API token: every gateway call here is signed in. */
  let admin: () => Record<string, string>;
  /** A member: health as anyone but an admin sees it (details are for admins). */
  let member: () => Record<string, string>;
  const health = async () =>
    (
      await graphql<{ health: HealthReport }>(
        stack.url,
        '{ health { status services { name status instances { name status error } } } }',
        {},
        { headers: member() },
      )
    ).data?.health;

  before(async () => {
    data = await tempDir('replicas');
    await mkdir(join(root, 'test-results'), { recursive: true });
    const log = createWriteStream(join(root, 'test-results/replicas-e2e.log'));
    stack = await startStack(
      loadStackConfig({
        DATA_DIR: data.path,
        PORT: '0',
        FILES_REPLICAS: '5',
        // One accounts replica is enough here: this file is about files replicas (2 cores).
        ACCOUNTS_REPLICAS: '1',
        ADMIN_EMAIL: testAdmin.email,
        ADMIN_PASSWORD: testAdmin.password,
      }),
      createLogger({ level: 'info', format: 'json', write: (line) => log.write(`${line}\n`) }),
    );
    admin = await tokenHeaders(stack.url);
    member = await newMember(stack.url, admin, 'member@filegraph.test');
  });
  after(async () => {
    await stack?.stop();
    await data?.remove();
  });

  it('when five replicas run at one address, then the router sends requests to every one, and health says each is OK', async () => {
    const addresses = stack.files.map((replica) => new URL(replica.url ?? '').host);
    await eventually(
      'HAProxy has all five UP',
      async () => {
        const view = await routerView(stack);
        return addresses.every((address) => view.get(address) === 'UP') ? true : undefined;
      },
      20_000,
    );
    const before = await Promise.all(
      stack.files.map((replica) => served(stack, replica.url ?? '')),
    );
    for (let i = 0; i < 60; i += 1)
      await graphql(stack.url, '{ files(first: 1) { totalCount } }', {}, { headers: admin() });
    const after = await Promise.all(stack.files.map((replica) => served(stack, replica.url ?? '')));
    after.forEach((count, i) =>
      assert.ok(count > (before[i] ?? 0), `replica ${i + 1} served queries`),
    );
    const report = await health();
    const files = report?.services.find((s) => s.name === 'files');
    assert.equal(files?.instances.length, 5);
    assert.deepEqual(new Set(files?.instances.map((i) => i.status)), new Set(['OK']));
    // HEALTH_DETAILS is off and this is a member: replicas are named by position, not by their Consul ids.
    assert.deepEqual(
      files?.instances.map((i) => i.name),
      ['files 1', 'files 2', 'files 3', 'files 4', 'files 5'],
    );
  });

  it('when a replica freezes, then no query waits past the router’s bound, it leaves the rotation within seconds, health calls it out, and it comes back', async (t) => {
    const [frozen] = stack.files;
    assert.ok(frozen);
    const address = new URL(frozen.url ?? '').host;
    const queries = keepQuerying(stack.url, 3, admin);
    const started = performance.now();
    frozen.kill('SIGSTOP', { restart: false });
    try {
      await eventually(
        'the router no longer sends it requests',
        async () => ((await routerView(stack)).get(address) === 'UP' ? undefined : true),
        10_000,
        100,
      );
      const outOfRotation = performance.now() - started;
      await sleep(3_000);
      const { failures, latencies } = await queries.stop();
      t.diagnostic(
        `out of rotation after ${Math.round(outOfRotation)} ms; ${latencies.length} queries, slowest ${Math.round(Math.max(...latencies))} ms`,
      );
      assert.deepEqual(failures, []);
      // The router's query timeout (8 s) and one replay elsewhere; not the client's patience.
      assert.ok(Math.max(...latencies) < 10_000, 'no query waited past the bound');
      const report = await health();
      const files = report?.services.find((s) => s.name === 'files');
      assert.equal(files?.status, 'DEGRADED');
      const out = files?.instances.filter((i) => i.status !== 'OK');
      assert.equal(out?.length, 1);
      // Details off: a few fixed words, no address.
      assert.equal(out?.[0]?.error, 'not answering');
    } finally {
      frozen.kill('SIGCONT');
    }
    await eventually(
      'it is back in the rotation',
      async () => ((await routerView(stack)).get(address) === 'UP' ? true : undefined),
      30_000,
    );
  });
});
