import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { makeCerts } from '@filegraph/processes/tls';
import { requireTool } from '@filegraph/processes/tools';
import { prepareOps } from '../../../ops/prepare.ts';
import { tempDir } from '../../src/temp.ts';
import {
  environmentOf,
  loadCompose,
  repoRoot,
  type ComposeFile,
  type ComposeService,
} from './loadCompose.ts';

/**
 * compose.yaml's ops profile (issue 17), read as Compose reads it, and its
 * ops-config step run here as the container runs it: ops/prepare.ts with
 * that service's environment, its output checked by promtool and read back.
 */

const opsServices = [
  'alertmanager',
  'consoles',
  'grafana',
  'mailpit',
  'ops-config',
  'prometheus',
  'victorialogs',
];

let compose: ComposeFile;
let folder: Awaited<ReturnType<typeof tempDir>>;
before(async () => {
  compose = await loadCompose();
  folder = await tempDir('compose-ops');
  await makeCerts(join(folder.path, 'certs'), ['prometheus']);
});
after(() => folder?.remove());

function service(file: ComposeFile, name: string): ComposeService {
  const found = file.services[name];
  assert.ok(found, `compose.yaml has no service ${name}`);
  return found;
}

/** What ops-config writes for this compose file, in a folder of its own. */
async function opsConfig(file: ComposeFile, name: string, { asRoot = false } = {}) {
  const env = Object.fromEntries(environmentOf(service(file, 'ops-config')));
  // The certificate exists in the container only; OPS_OWNER needs root.
  env.PROMETHEUS_TLS_DIR = join(folder.path, 'certs/prometheus');
  if (!asRoot) delete env.OPS_OWNER;
  const out = join(folder.path, name);
  await prepareOps(out, env);
  const read = async (path: string) => await readFile(join(out, path), 'utf8');
  return {
    out,
    // The template shares its Consul and TLS settings between jobs with YAML merge keys.
    prometheus: parse(await read('prometheus/prometheus.yml'), { merge: true }) as PrometheusConfig,
    alertmanager: parse(await read('alertmanager/alertmanager.yml')) as AlertmanagerConfig,
    consulToken: (await read('prometheus/consul-token')).trim(),
    minioToken: (await read('prometheus/minio-token')).trim(),
  };
}

interface PrometheusConfig {
  readonly alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
  readonly scrape_configs: ReadonlyArray<{
    readonly job_name: string;
    readonly consul_sd_configs?: ReadonlyArray<{ readonly server: string }>;
    readonly static_configs?: ReadonlyArray<{ readonly targets: readonly string[] }>;
  }>;
}
interface AlertmanagerConfig {
  readonly global: Record<string, string | boolean>;
  readonly receivers: ReadonlyArray<{ email_configs: Array<{ to: string }> }>;
}

/** The mount of `service` at `target`, as Compose's long form has it. */
function mountAt(s: ComposeService, target: string) {
  return (s.volumes ?? [])
    .map((volume) =>
      typeof volume === 'string'
        ? { source: volume.split(':')[0], target: volume.split(':')[1] }
        : volume,
    )
    .find((volume) => volume.target === target);
}

describe('compose.yaml, ops profile', () => {
  test('when the ops profile is on, then it adds ops-config, Prometheus, Alertmanager, Mailpit, VictoriaLogs, Grafana and the consoles', () => {
    const profiled = Object.entries(compose.services)
      .filter(([, s]) => (s.profiles ?? []).includes('ops'))
      .map(([name]) => name);
    assert.deepEqual(profiled.sort(), opsServices);
  });

  test('when ops-config runs, then Prometheus gets a configuration promtool accepts, with compose’s addresses and consul-acl’s token', async () => {
    const made = await opsConfig(compose, 'default');
    const check = await promisify(execFile)(
      requireTool('promtool'),
      ['check', 'config', join(made.out, 'prometheus/prometheus.yml')],
      { timeout: 60_000 },
    );
    assert.match(check.stdout + check.stderr, /SUCCESS/);
    const jobs = new Map(made.prometheus.scrape_configs.map((job) => [job.job_name, job]));
    for (const name of ['files', 'accounts', 'health', 'gateway'])
      assert.equal(jobs.get(name)?.consul_sd_configs?.[0]?.server, 'consul:8500', name);
    const stats = environmentOf(service(compose, 'haproxy')).get('STATS_BIND')?.split(':').at(-1);
    assert.deepEqual(jobs.get('haproxy')?.static_configs?.[0]?.targets, [`haproxy:${stats}`]);
    assert.deepEqual(jobs.get('minio')?.static_configs?.[0]?.targets, ['minio:9000']);
    assert.deepEqual(made.prometheus.alerting.alertmanagers[0]?.static_configs[0]?.targets, [
      'alertmanager:9093',
    ]);
    assert.equal(
      made.consulToken,
      environmentOf(service(compose, 'consul-acl')).get('CONSUL_PROMETHEUS_TOKEN'),
    );
  });

  test('when Prometheus asks MinIO for metrics, then its token is signed with the root credentials MinIO runs with', async () => {
    const made = await opsConfig(compose, 'minio');
    const minio = environmentOf(service(compose, 'minio'));
    const [header = '', payload = '', signature] = made.minioToken.split('.');
    const expected = createHmac('sha512', minio.get('MINIO_ROOT_PASSWORD') ?? '')
      .update(`${header}.${payload}`)
      .digest('base64url');
    assert.equal(signature, expected);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string };
    assert.equal(claims.sub, minio.get('MINIO_ROOT_USER'));
  });

  test('when nothing is set, then Alertmanager emails ALERT_EMAIL through Mailpit, and with SMTP_* set, through that relay', async () => {
    const mailpit = await opsConfig(compose, 'mailpit');
    assert.equal(mailpit.alertmanager.global.smtp_smarthost, 'mailpit:1025');
    assert.equal(mailpit.alertmanager.global.smtp_require_tls, false);
    assert.equal(
      mailpit.alertmanager.receivers[0]?.email_configs[0]?.to,
      'admin@filegraph.localhost',
    );

    const relay = await opsConfig(
      await loadCompose({
        SMTP_SMARTHOST: 'smtp.example.com:587',
        SMTP_REQUIRE_TLS: 'true',
        SMTP_AUTH_USERNAME: 'alerts',
        SMTP_AUTH_PASSWORD: 'relay-secret',
        ALERT_EMAIL: 'oncall@example.com',
        ALERT_EMAIL_FROM: 'filegraph@example.com',
      }),
      'relay',
    );
    assert.deepEqual(
      {
        host: relay.alertmanager.global.smtp_smarthost,
        tls: relay.alertmanager.global.smtp_require_tls,
        user: relay.alertmanager.global.smtp_auth_username,
        password: relay.alertmanager.global.smtp_auth_password,
        from: relay.alertmanager.global.smtp_from,
        to: relay.alertmanager.receivers[0]?.email_configs[0]?.to,
      },
      {
        host: 'smtp.example.com:587',
        tls: true,
        user: 'alerts',
        password: 'relay-secret',
        from: 'filegraph@example.com',
        to: 'oncall@example.com',
      },
    );
  });

  test(
    'when ops-config hands the files to the images’ user, then that user owns every one, and only it reads the tokens and the key',
    { skip: process.getuid?.() !== 0 && 'chown needs root' },
    async () => {
      const made = await opsConfig(compose, 'owned', { asRoot: true });
      const [uid, gid] = (environmentOf(service(compose, 'ops-config')).get('OPS_OWNER') ?? '')
        .split(':')
        .map(Number);
      const walk = async (dir: string): Promise<string[]> => [
        dir,
        ...(
          await Promise.all(
            (await readdir(dir, { withFileTypes: true })).map((entry) =>
              entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
            ),
          )
        ).flat(),
      ];
      for (const path of await walk(made.out)) {
        const info = await stat(path);
        assert.deepEqual([info.uid, info.gid], [uid, gid], path);
        if (/(token|\.key|\.pem|alertmanager\.yml)$/.test(path))
          assert.equal(info.mode & 0o077, 0, `${path} is readable by others`);
      }
    },
  );

  test('when Prometheus and Alertmanager start, then they read what ops-config wrote, and Prometheus uses the certificate certs makes for it', () => {
    const config = service(compose, 'ops-config');
    const out = mountAt(config, '/ops-config');
    assert.equal(out?.source, 'ops-config');
    const certificate = mountAt(config, environmentOf(config).get('PROMETHEUS_TLS_DIR') ?? '');
    assert.deepEqual(
      {
        source: certificate?.source,
        subpath: (certificate?.volume as { subpath?: string })?.subpath,
      },
      { source: 'certs', subpath: 'prometheus' },
    );
    for (const [name, folder, flag] of [
      ['prometheus', '/etc/prometheus', '--config.file=/etc/prometheus/prometheus.yml'],
      ['alertmanager', '/etc/alertmanager', '--config.file=/etc/alertmanager/alertmanager.yml'],
    ] as const) {
      const s = service(compose, name);
      const mount = mountAt(s, folder);
      assert.equal(mount?.source, 'ops-config', `${name} mounts another volume at ${folder}`);
      assert.equal((mount?.volume as { subpath?: string })?.subpath, name);
      assert.equal(mount?.read_only, true, `${name}: ${folder} is writable`);
      assert.ok((s.command as string[]).includes(flag), `${name} reads another file`);
      const dependsOn = s.depends_on as Record<string, { condition?: string }>;
      assert.equal(dependsOn['ops-config']?.condition, 'service_healthy', `${name} -> ops-config`);
    }
    const prometheusNeeds = service(compose, 'prometheus').depends_on as Record<string, unknown>;
    assert.ok(prometheusNeeds['consul-acl'], 'Prometheus starts before its Consul token exists');
  });

  test('when Grafana starts, then it finds the provisioning and dashboards of ops/grafana, the VictoriaLogs plugin, and data sources at compose’s addresses', async () => {
    const grafana = service(compose, 'grafana');
    assert.equal(
      mountAt(grafana, '/etc/grafana/provisioning')?.source,
      './ops/grafana/provisioning',
    );
    const providers = parse(
      await readFile(join(repoRoot, 'ops/grafana/provisioning/dashboards/filegraph.yml'), 'utf8'),
    ) as { providers: Array<{ options: { path: string } }> };
    const dashboards = providers.providers[0]?.options.path ?? '';
    assert.equal(mountAt(grafana, dashboards)?.source, './ops/grafana/dashboards');
    const sources = parse(
      await readFile(join(repoRoot, 'ops/grafana/provisioning/datasources/filegraph.yml'), 'utf8'),
    ) as { datasources: Array<{ type: string; url: string }> };
    const plugins = environmentOf(grafana).get('GF_PLUGINS_PREINSTALL_SYNC') ?? '';
    for (const source of sources.datasources) {
      const { hostname, port } = new URL(source.url);
      const target = service(compose, hostname);
      assert.ok((target.profiles ?? []).includes('ops'), `${hostname} is not in the ops profile`);
      assert.ok(target.healthcheck?.test, `${hostname} has no healthcheck`);
      const needs = grafana.depends_on as Record<string, { condition?: string }>;
      assert.equal(needs[hostname]?.condition, 'service_healthy', `grafana -> ${hostname}`);
      assert.ok(['9090', '9428'].includes(port), `${source.url}: not the port ${hostname} serves`);
      if (source.type !== 'prometheus')
        assert.match(plugins, new RegExp(`(^|,)${source.type}@\\d+\\.\\d+\\.\\d+(,|$)`));
    }
  });

  test('when operators open the ops consoles, then the consoles proxy publishes each on loopback and sends it to its service', async () => {
    const consoles = service(compose, 'consoles');
    const config = await readFile(join(repoRoot, 'haproxy/consoles.cfg'), 'utf8');
    const backends = new Map(
      [...config.matchAll(/^backend (\S+)\n\s+server \S+ ([\w-]+):(\d+)/gm)].map((m) => [
        m[1],
        `${m[2]}:${m[3]}`,
      ]),
    );
    const frontends = new Map(
      [...config.matchAll(/^frontend \S+\n\s+bind :(\d+)\n\s+default_backend (\S+)/gm)].map((m) => [
        m[1],
        backends.get(m[2] ?? ''),
      ]),
    );
    const published = (consoles.ports ?? []).map((port) => String(port));
    for (const [port, name] of [
      ['9090', 'prometheus'],
      ['9093', 'alertmanager'],
      ['8025', 'mailpit'],
      ['3000', 'grafana'],
      ['9428', 'victorialogs'],
    ] as const) {
      assert.ok(published.includes(`127.0.0.1:${port}:${port}`), `${name} is not published`);
      assert.equal(frontends.get(port), `${name}:${port}`, `:${port} goes elsewhere`);
      const needs = consoles.depends_on as Record<string, { condition?: string }>;
      assert.equal(needs[name]?.condition, 'service_healthy', `consoles -> ${name}`);
    }
  });

  test('when the services log, then each ships its lines to VictoriaLogs unless LOGS_URL is set empty', async () => {
    const victorialogs = service(compose, 'victorialogs');
    assert.ok((victorialogs.command as string[]).includes('-storageDataPath=/vlogs'));
    assert.equal(mountAt(victorialogs, '/vlogs')?.source, 'victorialogs-data');
    const off = await loadCompose({ LOGS_URL: '' });
    for (const name of ['files', 'accounts', 'health', 'gateway']) {
      assert.equal(
        environmentOf(service(compose, name)).get('LOGS_URL'),
        'http://victorialogs:9428',
        name,
      );
      assert.equal(environmentOf(service(off, name)).get('LOGS_URL'), '', name);
    }
  });
});
