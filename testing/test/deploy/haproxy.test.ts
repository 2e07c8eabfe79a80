import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { makeCerts } from '@filegraph/processes/tls';
import { requireTool } from '@filegraph/processes/tools';
import { tempDir } from '../../src/temp.ts';
import { environmentOf, loadCompose, repoRoot } from './loadCompose.ts';

const configPath = join(repoRoot, 'haproxy/haproxy.cfg');

/** The native run on 127.0.0.1 (README); compose's values come from compose.yaml. */
const nativeEnvironment = {
  ROUTER_BIND: '127.0.0.1:8080',
  STATS_BIND: '127.0.0.1:8404',
  CONSUL_DNS: '127.0.0.1:8600',
};

interface Check {
  readonly valid: boolean;
  readonly output: string;
}

/** `haproxy -c`: parses the file with only these variables set, starts nothing. */
async function check(path: string, variables: Readonly<Record<string, string>>): Promise<Check> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      requireTool('haproxy'),
      ['-c', '-f', path],
      {
        env: { PATH: process.env.PATH, ...variables },
      },
    );
    return { valid: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { valid: false, output: stdout + stderr };
  }
}

interface Section {
  readonly kind: string;
  readonly name: string;
  /** Directives without comments, indentation or conditional blocks. */
  readonly lines: readonly string[];
}

const sectionKinds = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'resolvers']);

function sectionsOf(text: string): Section[] {
  const sections: Array<{ kind: string; name: string; lines: string[] }> = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || line.startsWith('.')) continue;
    const [kind = '', name = ''] = line.split(/\s+/);
    if (sectionKinds.has(kind) && !/^\s/.test(raw)) sections.push({ kind, name, lines: [] });
    else sections.at(-1)?.lines.push(line.replace(/\s+/g, ' '));
  }
  return sections;
}

describe('haproxy/haproxy.cfg', () => {
  let text: string;
  let sections: Section[];

  let certs: Awaited<ReturnType<typeof tempDir>>;

  before(async () => {
    text = await readFile(configPath, 'utf8');
    sections = sectionsOf(text);
    certs = await tempDir('haproxy-certs');
    await makeCerts(certs.path, ['haproxy']);
  });
  after(() => certs?.remove());

  function section(kind: string, name = ''): Section {
    const found = sections.find((s) => s.kind === kind && s.name === name);
    assert.ok(found, `no ${kind} ${name}`);
    return found;
  }

  /** A directive as it applies in a section: its own, else the defaults'. */
  function directive(s: Section, keyword: string): string | undefined {
    const own = (lines: readonly string[]) => lines.find((line) => line.startsWith(`${keyword} `));
    return own(s.lines) ?? own(section('defaults').lines);
  }

  function seconds(value: string | undefined): number {
    const match = /^(\d+)(ms|s|m|h)?$/.exec(value?.split(' ').at(-1) ?? '');
    assert.ok(match, `not a duration: ${value}`);
    const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] ?? 'ms'] ?? NaN;
    return Number(match[1]) * unit;
  }

  test('when HAProxy checks it with the native environment, then it is valid without warnings', async () => {
    const result = await check(configPath, nativeEnvironment);
    assert.ok(result.valid, result.output);
    assert.doesNotMatch(result.output, /\[(WARNING|ALERT)\]/);
  });

  test('when HAProxy checks it with the compose environment, then it is valid without warnings', async () => {
    const compose = await loadCompose();
    const services = new Set(Object.keys(compose.services));
    const variables = Object.fromEntries(
      [...environmentOf(compose.services.haproxy ?? {})].map(([name, value]) => {
        // HAProxy resolves CONSUL_DNS's host while parsing; only Docker's DNS
        // knows compose service names, so here they stand for this machine.
        const [host, port] = value.split(':');
        return [name, host && services.has(host) ? `127.0.0.1:${port}` : value];
      }),
    );
    assert.ok(Object.keys(variables).length > 0, 'compose.yaml gives haproxy no environment');
    // The certificates exist in the container only: here, a folder made the same way.
    assert.ok(variables.INTERNAL_TLS_DIR, 'compose runs the router without internal TLS');
    variables.INTERNAL_TLS_DIR = join(certs.path, 'haproxy');
    const result = await check(configPath, variables);
    assert.ok(result.valid, result.output);
    assert.doesNotMatch(result.output, /\[(WARNING|ALERT)\]/);
  });

  test('when INTERNAL_TLS_DIR names a folder without HAProxy’s certificate, then HAProxy refuses to start and names the file', async () => {
    const result = await check(configPath, {
      ...nativeEnvironment,
      INTERNAL_TLS_DIR: join(certs.path, 'nobody'),
    });
    assert.equal(result.valid, false);
    assert.match(result.output, /nobody\/tls\.pem/);
  });

  test('when a variable is missing, then HAProxy refuses to start and names it', async () => {
    for (const missing of Object.keys(nativeEnvironment)) {
      const variables = Object.fromEntries(
        Object.entries(nativeEnvironment).filter(([name]) => name !== missing),
      );
      const result = await check(configPath, variables);
      assert.equal(result.valid, false, `valid without ${missing}`);
      assert.match(result.output, new RegExp(`${missing} is not set`));
    }
  });

  test('when this HAProxy was built, then it includes the Prometheus exporter', async () => {
    const { stdout } = await promisify(execFile)(requireTool('haproxy'), ['-vv']);
    assert.match(stdout, /Available services : .*prometheus-exporter/);
  });

  test('when Consul answers SRV queries, then HAProxy accepts every record and re-asks often', () => {
    const resolvers = section('resolvers', 'consul');
    assert.ok(resolvers.lines.includes('nameserver consul "${CONSUL_DNS}"'), 'nameserver');
    assert.ok(resolvers.lines.includes('accepted_payload_size 8192'), 'accepted_payload_size');
    // A Consul outage must not empty the backends: the last answer holds while Consul is unreachable.
    for (const status of ['timeout', 'refused', 'other']) {
      assert.ok(resolvers.lines.includes(`hold ${status} 1h`), `hold ${status}`);
    }
    const holdValid = resolvers.lines.find((line) => line.startsWith('hold valid '));
    assert.ok(seconds(holdValid) <= 10, `hold valid is long: ${holdValid}`);
  });

  for (const service of ['files', 'health']) {
    test(`when a request starts with /${service}/, then a healthy ${service} instance gets it without the prefix`, () => {
      const subgraphs = section('frontend', 'subgraphs');
      assert.ok(subgraphs.lines.includes(`use_backend ${service} if { path_beg /${service}/ }`));
      const backend = section('backend', service);
      assert.ok(backend.lines.includes(`http-request replace-path ^/${service}(/.*)$ \\1`));
      assert.ok(backend.lines.includes('balance leastconn'), 'balance leastconn');
      assert.ok(backend.lines.includes('option httpchk'), 'option httpchk');
      assert.ok(backend.lines.includes('http-check send meth GET uri /health'), 'GET /health');
      const template = backend.lines.find((line) => line.startsWith('server-template '));
      assert.match(
        template ?? '',
        new RegExp(`^server-template ${service} \\d+ _${service}\\._tcp\\.service\\.consul `),
      );
      for (const option of ['resolvers consul', 'resolve-prefer ipv4', 'init-addr none']) {
        assert.ok(template?.includes(` ${option}`), `server-template lacks ${option}`);
      }
      assert.match(template ?? '', / check( |$)/, 'server-template lacks check');
    });
  }

  test('when an upload arrives slowly, then HAProxy streams it instead of buffering it', () => {
    const directives = sections.flatMap((s) => s.lines);
    assert.ok(!directives.some((line) => line.includes('http-buffer-request')));
    const subgraphs = section('frontend', 'subgraphs');
    const files = section('backend', 'files');
    // Headers must come quickly; bodies may take as long as bytes keep moving.
    assert.ok(seconds(directive(subgraphs, 'timeout http-request')) <= 30, 'timeout http-request');
    assert.ok(seconds(directive(subgraphs, 'timeout client')) >= 600, 'timeout client');
    assert.ok(seconds(directive(files, 'timeout server')) >= 600, 'timeout server');
    assert.ok(seconds(directive(files, 'timeout connect')) <= 5, 'timeout connect');
  });

  test('when a replica fails, then only queries are replayed, never mutations or uploads', () => {
    const subgraphs = section('frontend', 'subgraphs');
    assert.ok(
      subgraphs.lines.includes('acl is_query req.hdr(x-filegraph-operation) -m str query'),
      'is_query must match the operation header exactly',
    );
    assert.ok(
      subgraphs.lines.includes('acl is_multipart req.hdr(content-type) -m beg -i multipart/'),
    );
    assert.ok(subgraphs.lines.includes('http-request disable-l7-retry unless is_query'));
    assert.ok(subgraphs.lines.includes('http-request disable-l7-retry if is_multipart'));
    // Connection failures never reached a replica: retried for every request.
    const defaults = section('defaults');
    assert.match(directive(defaults, 'retry-on') ?? '', /^retry-on conn-failure\b/);
    assert.ok(defaults.lines.includes('option redispatch 1'), 'option redispatch');
  });

  test('when operators look, then stats, Prometheus metrics and a monitor URI answer', () => {
    const stats = section('frontend', 'stats');
    assert.ok(stats.lines.includes('bind "${STATS_BIND}"'));
    assert.ok(
      stats.lines.includes('http-request use-service prometheus-exporter if { path /metrics }'),
    );
    assert.ok(stats.lines.includes('monitor-uri /healthz'));
    assert.ok(stats.lines.includes('stats enable'));
  });

  test('when HAProxy logs, then it writes to stdout', () => {
    assert.ok(section('global').lines.some((line) => line.startsWith('log stdout ')));
  });

  test('when every variable is read, then the header documents it', () => {
    const header = text.slice(0, text.indexOf('\n.if'));
    for (const name of new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]))) {
      assert.match(header, new RegExp(`#\\s+${name}\\s`), `${name} is not documented`);
    }
  });
});

describe('haproxy/consoles.cfg', () => {
  test('when HAProxy checks it, then it is valid (the console hosts resolve only in compose)', async () => {
    const result = await check(join(repoRoot, 'haproxy/consoles.cfg'), {});
    assert.ok(result.valid, result.output);
    assert.doesNotMatch(result.output, /\[ALERT\]/);
  });
});
