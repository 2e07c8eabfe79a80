import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { graphql } from '@filegraph/testing/graphql';
import { logRecord } from '@filegraph/processes/processes';
import { newMember, tokenHeaders } from '@filegraph/testing/accounts';
import { errorCode } from '@filegraph/testing/filesClient';
import { Services, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

/** Everything the `health` query has, to see that none of it says too much. */
const everything = `{
  health {
    status version uptimeSeconds checkedAt
    host { hostname platform cpus loadAverage memory { totalBytes freeBytes } }
    process { rssBytes heapUsedBytes }
    dependencies { name status latencyMs error url }
    services { name status instances { name status latencyMs error url } }
    supergraph { status composedAt subgraphs { name url instances passing } error }
  }
}`;

interface Check {
  name: string;
  status: string;
  error: string | null;
  url: string | null;
}

interface Health {
  status: string;
  host: { hostname: string } | null;
  process: { rssBytes: number } | null;
  dependencies: Check[];
  services: Array<{ name: string; status: string; instances: Check[] }>;
  supergraph: {
    status: string;
    composedAt: string | null;
    subgraphs: Array<{ name: string; url: string | null }> | null;
  } | null;
}

/** The ports every service of the embedded default listens on, from its log. */
function portsOf(service: RunningService): string[] {
  return service.process
    .output()
    .split('\n')
    .map((line) => logRecord(line)?.url)
    .filter((url): url is string => typeof url === 'string')
    .map((url) => new URL(url).port);
}

/**
 * What in `text` tells where something runs: a URL, this host's name, an IP
 * address, host:port, or one of `ports`. Empty when nothing does.
 */
function leaks(text: string, ports: readonly string[]): string[] {
  // ISO times have colons followed by digits too.
  const untimed = text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME');
  const patterns = [
    /[a-z][a-z\d+.-]*:\/\//i,
    /\b\d{1,3}(\.\d{1,3}){3}\b/,
    /::/,
    // host:port inside a string; a JSON key before its number has a quote before the colon.
    /[^"]:\d/,
    /localhost/i,
    ...ports.map((port) => new RegExp(`\\b${port}\\b`)),
  ];
  const found = patterns.flatMap((pattern) => pattern.exec(untimed)?.[0] ?? []);
  if (text.includes(hostname())) found.push(hostname());
  return found;
}

describe('health details (issue 19)', () => {
  let data: { path: string; remove(): Promise<void> };
  let hidden: RunningService;
  let shown: RunningService;
  const services = new Services();
  /** A member of each: details are the operator's to give (HEALTH_DETAILS) or an admin's to see. */
  let member: { hidden: () => Record<string, string>; shown: () => Record<string, string> };

  before(async () => {
    data = await tempDir('health-details');
    [hidden, shown] = await Promise.all([
      services.start('embedded', { DATA_DIR: `${data.path}/hidden` }),
      services.start('embedded', { DATA_DIR: `${data.path}/shown`, HEALTH_DETAILS: '1' }),
    ]);
    const memberOf = async (url: string) =>
      newMember(url, await tokenHeaders(url), 'member@filegraph.test');
    member = { hidden: await memberOf(hidden.url), shown: await memberOf(shown.url) };
  });
  after(async () => {
    await services.stopAll();
    await data?.remove();
  });

  it('when nobody is signed in, then the health query is UNAUTHENTICATED', async () => {
    assert.equal(errorCode(await graphql(hidden.url, everything)), 'UNAUTHENTICATED');
  });

  it('when HEALTH_DETAILS is off, then the health query names no URL, host, address or port to a member, and still says how every service is', async () => {
    const answer = await graphql<{ health: Health }>(
      hidden.url,
      everything,
      {},
      { headers: member.hidden() },
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    const text = JSON.stringify(answer.data);
    assert.deepEqual(leaks(text, portsOf(hidden)), [], text);
    const health = answer.data?.health;
    assert.equal(health?.status, 'OK');
    assert.equal(health?.host, null);
    assert.equal(health?.process, null);
    assert.deepEqual(
      health?.services.map((s) => [s.name, s.status, s.instances.map((i) => i.name)]),
      [
        ['files', 'OK', ['files 1']],
        ['accounts', 'OK', ['accounts 1']],
        ['health', 'OK', ['health 1']],
        ['gateway', 'OK', ['gateway 1']],
      ],
    );
    assert.deepEqual(
      health?.dependencies.map((d) => [d.name, d.status]),
      [
        ['storage', 'OK'],
        ['catalogue', 'OK'],
        ['accounts store', 'OK'],
      ],
    );
    // The gateway's own /ready says its supergraph's status only.
    assert.deepEqual(health?.supergraph, {
      status: 'composed',
      composedAt: null,
      subgraphs: null,
      error: null,
    });
  });

  it('when HEALTH_DETAILS is off, then the gateway’s /health and /ready say its status and its supergraph’s, nothing more', async () => {
    for (const path of ['/health', '/ready']) {
      const response = await fetch(`${hidden.url}${path}`);
      assert.equal(response.status, 200, path);
      const text = await response.text();
      assert.deepEqual(leaks(text, portsOf(hidden)), [], `${path}: ${text}`);
      const body = JSON.parse(text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), [
        'phase',
        'service',
        'status',
        'supergraph',
        'uptimeSeconds',
        'version',
      ]);
      assert.deepEqual(
        [body.status, body.service, body.phase, body.supergraph],
        [path === '/health' ? 'ok' : 'ready', 'gateway', 'ready', { status: 'composed' }],
      );
    }
  });

  it('when HEALTH_DETAILS is off and an admin asks, then the health query tells them the host and the URLs', async () => {
    const answer = await graphql<{ health: Health }>(
      hidden.url,
      everything,
      {},
      {
        headers: (await tokenHeaders(hidden.url))(),
      },
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    assert.equal(answer.data?.health.host?.hostname, hostname());
    assert.ok(leaks(JSON.stringify(answer.data), portsOf(hidden)).length >= 4);
  });

  it('when HEALTH_DETAILS=1, then the health query (to a member), /health and /ready tell the host, the URLs and the supergraph', async () => {
    const answer = await graphql<{ health: Health }>(
      shown.url,
      everything,
      {},
      { headers: member.shown() },
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    // The same search that finds nothing with details off finds them here.
    assert.ok(leaks(JSON.stringify(answer.data), portsOf(shown)).length >= 4);
    const health = answer.data?.health;
    assert.equal(health?.host?.hostname, hostname());
    assert.ok((health?.process?.rssBytes ?? 0) > 0);
    const files = health?.services.find((s) => s.name === 'files')?.instances[0];
    assert.equal(files?.name, 'files');
    assert.match(files?.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/ready$/);
    assert.match(health?.supergraph?.composedAt ?? '', /^\d{4}-/);
    assert.deepEqual(
      health?.supergraph?.subgraphs
        ?.map((s) => [s.name, new URL(s.url ?? '').hostname])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
      [
        ['accounts', '127.0.0.1'],
        ['files', '127.0.0.1'],
        ['health', '127.0.0.1'],
      ],
    );
    const live = (await (await fetch(`${shown.url}/health`)).json()) as {
      supergraph: { subgraphs: Array<{ url: string }> };
    };
    assert.equal(live.supergraph.subgraphs.length, 3);
    const ready = (await (await fetch(`${shown.url}/ready`)).json()) as {
      dependencies: Array<{ name: string; status: string }>;
    };
    assert.deepEqual(
      ready.dependencies.map((d) => [d.name, d.status]),
      [
        ['files', 'ok'],
        ['accounts', 'ok'],
        ['health', 'ok'],
      ],
    );
  });
});
