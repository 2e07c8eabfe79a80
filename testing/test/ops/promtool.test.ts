import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { root } from '@filegraph/processes/root';
import { makeCerts } from '@filegraph/processes/tls';
import { requireTool } from '@filegraph/processes/tools';
import { render } from '../../../ops/render.ts';
import { tempDir } from '../../src/temp.ts';

/**
 * ops/prometheus as Prometheus 3 reads it: the configuration template filled
 * in as an operator would (ops/render.ts) next to a `prometheus` certificate
 * of the internal CA and the token files, the rules, and their unit tests,
 * all through promtool.
 */

const prometheusDir = join(root, 'ops/prometheus');
const template = join(prometheusDir, 'prometheus.yml');
const rulesDir = join(prometheusDir, 'rules');
const testsDir = join(prometheusDir, 'tests');
const consulServices = ['files', 'accounts', 'health', 'gateway'];

async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(requireTool('promtool'), args, {
      cwd: prometheusDir,
      timeout: 60_000,
    });
    return stdout + stderr;
  } catch (error) {
    const { stdout, stderr, message } = error as {
      stdout?: string;
      stderr?: string;
      message: string;
    };
    throw new Error(`promtool ${args.join(' ')} failed: ${stdout ?? ''}${stderr || message}`, {
      cause: error,
    });
  }
}

async function yamlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((name) => name.endsWith('.yml'))
    .map((name) => join(dir, name));
}

// The parts of the files these checks read.
interface ScrapeConfig {
  readonly job_name: string;
  readonly scheme?: string;
  readonly tls_config?: { readonly server_name?: string; readonly cert_file?: string };
  readonly consul_sd_configs?: ReadonlyArray<{
    readonly server: string;
    readonly services: readonly string[];
    readonly authorization?: { readonly credentials_file?: string };
  }>;
  readonly static_configs?: ReadonlyArray<{ readonly targets: readonly string[] }>;
}
interface RuleGroups {
  readonly groups: ReadonlyArray<{
    readonly rules: ReadonlyArray<{ readonly alert?: string; readonly record?: string }>;
  }>;
}
interface RuleTests {
  readonly tests: ReadonlyArray<{
    readonly alert_rule_test?: ReadonlyArray<{
      readonly alertname: string;
      readonly exp_alerts?: readonly unknown[];
    }>;
  }>;
}

describe('ops/prometheus with promtool', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>;

  /** The template rendered with `env` into a folder laid out as its header says. */
  async function rendered(name: string, env: Record<string, string>): Promise<string> {
    const dir = join(folder.path, name);
    await cp(join(folder.path, 'certs/prometheus'), join(dir, 'tls'), { recursive: true });
    await symlink(rulesDir, join(dir, 'rules'));
    await writeFile(join(dir, 'consul-token'), '7e57ac15-0000-4000-8000-00000000000a\n');
    await writeFile(join(dir, 'minio-token'), 'a-minio-bearer-token\n');
    const file = join(dir, 'prometheus.yml');
    await writeFile(file, render(await readFile(template, 'utf8'), env));
    return file;
  }

  before(async () => {
    folder = await tempDir('prometheus');
    await makeCerts(join(folder.path, 'certs'), ['prometheus']);
  });
  after(() => folder.remove());

  test('when the template is filled in with the compose defaults, then promtool accepts it and finds the rules', async () => {
    const file = await rendered('compose', {});
    const output = await promtool('check', 'config', file);
    assert.match(output, /SUCCESS: .*prometheus\.yml is valid/);
    assert.match(output, /filegraph\.yml[\s\S]*SUCCESS: \d+ rules found/);
  });

  test('when it is filled in for the native stack, then each Consul service is its own job, found at the given Consul, over TLS checked against its name', async () => {
    const file = await rendered('native', {
      CONSUL_HTTP_ADDR: '127.0.0.1:8500',
      HAPROXY_STATS_ADDR: '127.0.0.1:8404',
      MINIO_ADDR: '127.0.0.1:9000',
      ALERTMANAGER_ADDR: '127.0.0.1:9093',
    });
    await promtool('check', 'config', file);
    const config = parse(await readFile(file, 'utf8'), { merge: true }) as {
      scrape_configs: ScrapeConfig[];
    };
    const jobs = new Map(config.scrape_configs.map((job) => [job.job_name, job]));
    for (const service of consulServices) {
      const job = jobs.get(service);
      assert.ok(job, `no job ${service}`);
      assert.deepEqual(
        job.consul_sd_configs?.map(({ server, services, authorization }) => ({
          server,
          services,
          credentials: authorization?.credentials_file,
        })),
        [{ server: '127.0.0.1:8500', services: [service], credentials: 'consul-token' }],
      );
    }
    for (const service of ['files', 'accounts', 'health']) {
      assert.equal(jobs.get(service)?.scheme, 'https', service);
      assert.equal(jobs.get(service)?.tls_config?.server_name, service);
      assert.equal(jobs.get(service)?.tls_config?.cert_file, 'tls/tls.crt');
    }
    assert.deepEqual(jobs.get('haproxy')?.static_configs, [{ targets: ['127.0.0.1:8404'] }]);
    assert.deepEqual(jobs.get('minio')?.static_configs, [{ targets: ['127.0.0.1:9000'] }]);
  });

  test('when a variable without a default is not set, then rendering stops, naming it', () => {
    assert.throws(
      () => render("to: '${ALERT_EMAIL}'\nfrom: '${ALERT_EMAIL_FROM:-a@b}'\n", {}),
      /^Error: set ALERT_EMAIL: the template has no default$/,
    );
    assert.equal(
      render("to: '${ALERT_EMAIL}'\nreplacement: '${1}'\n", { ALERT_EMAIL: 'ops@example.com' }),
      "to: 'ops@example.com'\nreplacement: '${1}'\n",
    );
  });

  test('when the rules are checked, then promtool accepts every rules file', async () => {
    const files = await yamlFiles(rulesDir);
    assert.ok(files.length > 0);
    assert.match(await promtool('check', 'rules', ...files), /SUCCESS/);
  });

  test('when the rules unit tests run, then every one passes', async () => {
    const files = await yamlFiles(testsDir);
    assert.ok(files.length > 0);
    assert.match(await promtool('test', 'rules', ...files), /SUCCESS/);
  });

  test('when an alert is defined, then some unit test makes it fire', async () => {
    const alerts = new Set<string>();
    for (const file of await yamlFiles(rulesDir)) {
      const { groups } = parse(await readFile(file, 'utf8')) as RuleGroups;
      for (const rule of groups.flatMap((group) => group.rules)) {
        if (rule.alert) alerts.add(rule.alert);
      }
    }
    const firing = new Set<string>();
    for (const file of await yamlFiles(testsDir)) {
      const { tests } = parse(await readFile(file, 'utf8')) as RuleTests;
      for (const check of tests.flatMap((one) => one.alert_rule_test ?? [])) {
        if (check.exp_alerts?.length) firing.add(check.alertname);
      }
    }
    assert.ok(alerts.size > 0);
    assert.deepEqual(
      [...alerts].filter((alert) => !firing.has(alert)),
      [],
      'alerts no test expects to fire',
    );
  });
});
