import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readConfig, type Schema } from '@filegraph/shared/config';
import { filesSettings } from '@filegraph/files/config';
import { healthSettings } from '@filegraph/health/config';
import { gatewaySettings } from '@filegraph/supergraph/config';
import { makeCerts } from '@filegraph/processes/tls';
import { tempDir } from '../../src/temp.ts';
import {
  assertHaproxyVariables,
  environmentOf,
  loadCompose,
  repoRoot,
  type ComposeFile,
  type ComposeService,
} from './loadCompose.ts';

const topology = [
  'certs',
  'consul',
  'consul-acl',
  'minio',
  'minio-init',
  'postgres',
  'haproxy',
  'gateway',
  'files',
  'health',
  'accounts',
  'frontend',
];

let compose: ComposeFile;
let certs: Awaited<ReturnType<typeof tempDir>>;
before(async () => {
  compose = await loadCompose();
  certs = await tempDir('compose-certs');
  await makeCerts(certs.path, ['files', 'health', 'gateway']);
});
after(() => certs?.remove());

function service(name: string): ComposeService {
  const found = compose.services[name];
  assert.ok(found, `compose.yaml has no service ${name}`);
  return found;
}

function services(): Array<[string, ComposeService]> {
  return Object.entries(compose.services);
}

/** Services that `docker compose up` starts: those outside any profile. */
function defaultServices(): Array<[string, ComposeService]> {
  return services().filter(([, s]) => (s.profiles ?? []).length === 0);
}

function env(name: string): Map<string, string> {
  return environmentOf(service(name));
}

describe('compose.yaml', () => {
  test('when the stack comes up, then it runs the whole distributed topology', () => {
    assert.deepEqual(
      defaultServices()
        .map(([name]) => name)
        .sort(),
      [...topology].sort(),
    );
  });

  test('when files starts, then it runs at least two replicas', () => {
    assert.ok((service('files').deploy?.replicas ?? 1) >= 2, 'files needs deploy.replicas >= 2');
  });

  test('when any service runs, then it has a health check', () => {
    for (const [name, s] of services()) {
      const test = s.healthcheck?.test;
      assert.ok(test !== undefined && test.length > 0, `${name} has no healthcheck`);
      assert.notEqual(s.healthcheck?.disable, true, `${name} disables its healthcheck`);
      assert.notDeepEqual(test, ['NONE'], `${name} disables its healthcheck`);
    }
  });

  test('when a service waits for another, then it waits until that one is healthy', () => {
    for (const [name, s] of services()) {
      const dependsOn = s.depends_on ?? {};
      assert.ok(!Array.isArray(dependsOn), `${name}: depends_on must name a condition`);
      for (const [dependency, { condition }] of Object.entries(dependsOn)) {
        assert.equal(condition, 'service_healthy', `${name} -> ${dependency}`);
        assert.ok(compose.services[dependency], `${name} depends on unknown ${dependency}`);
      }
    }
  });

  test('when a container stops unexpectedly, then it is restarted', () => {
    for (const [name, s] of services()) {
      assert.ok(
        s.restart === 'unless-stopped' || s.restart === 'always',
        `${name} has restart: ${s.restart}`,
      );
    }
  });

  test('when MinIO, PostgreSQL or Consul restart, then their data is kept in named volumes', () => {
    const named = new Set(Object.keys(compose.volumes ?? {}));
    for (const [name, target] of [
      ['minio', '/data'],
      ['postgres', '/var/lib/postgresql/data'],
      ['consul', '/consul/data'],
    ] as const) {
      const mounts = (service(name).volumes ?? []).map((volume) =>
        typeof volume === 'string'
          ? { source: volume.split(':')[0], target: volume.split(':')[1] }
          : volume,
      );
      const data = mounts.find((mount) => mount.target === target);
      assert.ok(data?.source && named.has(data.source), `${name}: ${target} is not a named volume`);
    }
  });

  test('when images are pulled or built, then each one is pinned to a version', () => {
    for (const [name, s] of services()) {
      assert.ok(s.image, `${name} has no image (Swarm and registries need one, even when built)`);
      const pinned = /^[\w./-]+(?::[\w.-]*\d[\w.-]*)?(?:@sha256:[0-9a-f]{64})?$/;
      assert.match(s.image, pinned, `${name}: ${s.image} is not pinned`);
      assert.ok(s.image.includes(':') || s.image.includes('@'), `${name}: ${s.image} has no tag`);
      assert.doesNotMatch(s.image, /:latest\b/, `${name}: ${s.image} uses latest`);
    }
  });

  test('when FILEGRAPH_REGISTRY and FILEGRAPH_VERSION are set, then each image we build is <registry>/<service>:<version>, and minio-init runs minio’s', async () => {
    const custom = await loadCompose({
      FILEGRAPH_REGISTRY: 'ghcr.io/acme/filegraph',
      FILEGRAPH_VERSION: '1.2.0',
    });
    for (const [registry, version, file] of [
      ['localhost/filegraph', '0.1.0', compose],
      ['ghcr.io/acme/filegraph', '1.2.0', custom],
    ] as const) {
      const ours = Object.entries(file.services)
        .filter(([, s]) => s.image?.startsWith(`${registry}/`))
        .map(([name, s]) => `${name} ${s.image}`);
      const built = Object.entries(file.services)
        .filter(([, s]) => s.build !== undefined)
        .map(([name]) => `${name} ${registry}/${name}:${version}`);
      assert.deepEqual(ours.sort(), [...built, `minio-init ${registry}/minio:${version}`].sort());
    }
  });

  test('when people use the stack, then only the gateway publishes a port, on 4000', () => {
    for (const [name, s] of defaultServices()) {
      if (name === 'gateway') continue;
      assert.equal(s.ports, undefined, `${name} publishes ports outside a profile`);
    }
    assert.deepEqual(service('gateway').ports, ['4000:4000']);
  });

  test('when operators open the consoles, then they come only with a profile and on loopback', () => {
    const published = services().filter(([name, s]) => name !== 'gateway' && s.ports);
    assert.ok(published.length > 0, 'the consoles are not published under any profile');
    for (const [name, s] of published) {
      assert.ok((s.profiles ?? []).length > 0, `${name} publishes ports outside a profile`);
      for (const port of s.ports ?? []) {
        assert.match(String(port), /^127\.0\.0\.1:/, `${name}: ${String(port)} is not on loopback`);
      }
    }
  });

  test('when the file is read, then it has neither a version key nor container names', () => {
    assert.equal(compose.version, undefined);
    for (const [name, s] of services()) {
      assert.equal(s.container_name, undefined, `${name} sets container_name`);
    }
  });

  for (const [name, schema] of [
    ['files', filesSettings],
    ['health', healthSettings],
    ['gateway', gatewaySettings],
  ] as const) {
    test(`when ${name} starts, then every variable it is given is one it reads, with a valid value`, () => {
      const given = env(name);
      const read = new Set(Object.values(schema as Schema).map((setting) => setting.env));
      const unknown = [...given.keys()].filter((variable) => !read.has(variable));
      assert.deepEqual(unknown, [], `${name} does not read ${unknown.join(', ')}`);
      // The certificates exist in the containers only: here, a folder made the same way.
      if (given.has('INTERNAL_TLS_DIR')) given.set('INTERNAL_TLS_DIR', join(certs.path, name));
      assert.doesNotThrow(() => readConfig(schema, Object.fromEntries(given)));
    });
  }

  test('when the subgraphs start, then they listen where compose and HAProxy expect them', () => {
    const expected = { files: '4001', health: '4002', gateway: '4000' };
    for (const [name, port] of Object.entries(expected)) {
      assert.equal(env(name).get('HOST'), '0.0.0.0', `${name} must listen on every interface`);
      assert.equal(env(name).get('PORT'), port, `${name} PORT`);
      assert.equal(env(name).get('LOG_FORMAT'), 'json', `${name} LOG_FORMAT`);
      const probe = service(name).healthcheck?.test;
      assert.deepEqual(
        probe,
        ['CMD', 'node', 'scripts/probe-ready.mjs', port, ...(name === 'gateway' ? [] : [name])],
        `${name}'s healthcheck asks another port, or not as ${name}`,
      );
    }
    for (const name of ['files', 'health', 'gateway']) {
      assert.equal(env(name).get('CONSUL_HTTP_ADDR'), 'consul:8500', `${name} CONSUL_HTTP_ADDR`);
    }
    assert.equal(env('files').get('STORAGE'), 'minio');
    assert.equal(env('files').get('MINIO_ENDPOINT'), 'http://minio:9000');
    assert.equal(env('gateway').get('FRONTEND_URL'), 'http://frontend:8080');
  });

  test('when the files service logs in to MinIO, then it is the user minio-init makes, never root', () => {
    const init = env('minio-init');
    assert.equal(env('files').get('MINIO_ACCESS_KEY'), init.get('MINIO_FILES_USER'));
    assert.equal(env('files').get('MINIO_SECRET_KEY'), init.get('MINIO_FILES_PASSWORD'));
    assert.notEqual(init.get('MINIO_FILES_USER'), env('minio').get('MINIO_ROOT_USER'));
    assert.notEqual(init.get('MINIO_FILES_PASSWORD'), env('minio').get('MINIO_ROOT_PASSWORD'));
    assert.equal(init.get('MINIO_ROOT_USER'), env('minio').get('MINIO_ROOT_USER'));
    assert.equal(init.get('MINIO_ROOT_PASSWORD'), env('minio').get('MINIO_ROOT_PASSWORD'));
    assert.equal(init.get('MINIO_URL'), env('files').get('MINIO_ENDPOINT'));
    assert.equal(init.get('MINIO_BUCKET'), env('files').get('MINIO_BUCKET'));
    const holders = services()
      .filter(([, s]) => environmentOf(s).has('MINIO_ROOT_PASSWORD'))
      .map(([name]) => name);
    // ops-config signs MinIO's metrics token for Prometheus with them (ops profile).
    assert.deepEqual(holders.sort(), ['minio', 'minio-init', 'ops-config']);
  });

  test('when minio-init runs, then it is our MinIO image running the script that image carries', () => {
    assert.equal(service('minio-init').image, service('minio').image);
    const entrypoint = service('minio-init').entrypoint;
    const script = (Array.isArray(entrypoint) ? entrypoint[0] : entrypoint) ?? '';
    const dockerfile = readFileSync(join(repoRoot, 'minio/Dockerfile'), 'utf8');
    const copied = /^COPY\b.*\binit\.sh\b.*\s(\S+\/)$/m.exec(dockerfile)?.[1];
    assert.equal(script, `${copied}init.sh`);
    const dependsOn = service('files').depends_on as Record<string, { condition?: string }>;
    assert.equal(dependsOn['minio-init']?.condition, 'service_healthy');
  });

  test('when the files service keeps its catalogue, then it signs in to PostgreSQL as the image set it up', () => {
    const postgres = env('postgres');
    assert.equal(env('files').get('CATALOGUE'), 'postgres');
    const url = new URL(env('files').get('DATABASE_URL') ?? '');
    assert.equal(url.protocol, 'postgres:');
    assert.equal(`${url.hostname}:${url.port}`, 'postgres:5432');
    assert.equal(url.username, postgres.get('POSTGRES_USER'));
    assert.equal(decodeURIComponent(url.password), postgres.get('POSTGRES_PASSWORD'));
    assert.equal(url.pathname, `/${postgres.get('POSTGRES_DB')}`);
  });

  test('when the files service starts, then its storage and its catalogue are healthy first', () => {
    const dependsOn = service('files').depends_on ?? {};
    assert.ok(!Array.isArray(dependsOn), 'files: depends_on must name conditions');
    const conditions = new Map(Object.entries(dependsOn as Record<string, { condition?: string }>));
    for (const dependency of ['minio', 'postgres', 'consul']) {
      assert.equal(
        conditions.get(dependency)?.condition,
        'service_healthy',
        `files -> ${dependency}`,
      );
    }
  });

  test('when PostgreSQL is checked, then pg_isready asks it over TCP for the catalogue database', () => {
    const postgres = env('postgres');
    assert.deepEqual(service('postgres').healthcheck?.test, [
      'CMD',
      'pg_isready',
      '-h',
      '127.0.0.1',
      '-U',
      postgres.get('POSTGRES_USER'),
      '-d',
      postgres.get('POSTGRES_DB'),
    ]);
  });

  test('when MinIO credentials are set in the environment, then compose uses them', async () => {
    const custom = await loadCompose({
      MINIO_ROOT_USER: 'ops',
      MINIO_ROOT_PASSWORD: 'long-secret',
      MINIO_FILES_PASSWORD: 'files-secret',
    });
    const minio = environmentOf(custom.services.minio ?? {});
    const init = environmentOf(custom.services['minio-init'] ?? {});
    const files = environmentOf(custom.services.files ?? {});
    assert.equal(minio.get('MINIO_ROOT_USER'), 'ops');
    assert.equal(init.get('MINIO_ROOT_PASSWORD'), 'long-secret');
    assert.equal(init.get('MINIO_FILES_PASSWORD'), 'files-secret');
    assert.equal(files.get('MINIO_SECRET_KEY'), 'files-secret');
  });

  test('when the PostgreSQL password is set in the environment, then compose uses it on both sides', async () => {
    const custom = await loadCompose({ POSTGRES_PASSWORD: 'another-long-secret' });
    const postgres = environmentOf(custom.services.postgres ?? {});
    const files = environmentOf(custom.services.files ?? {});
    assert.equal(postgres.get('POSTGRES_PASSWORD'), 'another-long-secret');
    assert.equal(new URL(files.get('DATABASE_URL') ?? '').password, 'another-long-secret');
  });

  test('when the gateway looks up the router, then Consul knows it under that name and port', async () => {
    const definition = await readFile(join(repoRoot, 'consul/haproxy-service.hcl'), 'utf8');
    const routerName = /^\s*name\s*=\s*"([^"]+)"/m.exec(definition)?.[1];
    const routerPort = /^\s*port\s*=\s*(\d+)/m.exec(definition)?.[1];
    const checkUrl = /^\s*http\s*=\s*"([^"]+)"/m.exec(definition)?.[1];
    for (const name of ['gateway', 'health']) {
      assert.equal(env(name).get('SUBGRAPH_ROUTER'), routerName, `${name} SUBGRAPH_ROUTER`);
    }
    const haproxy = env('haproxy');
    assert.equal(haproxy.get('ROUTER_BIND')?.split(':').at(-1), routerPort);
    assert.equal(
      checkUrl,
      `http://haproxy:${haproxy.get('STATS_BIND')?.split(':').at(-1)}/healthz`,
    );
    assert.equal(haproxy.get('CONSUL_DNS'), 'consul:8600');
  });

  test('when Consul starts, then ACLs are on with default deny, and the agent knows its management, agent, DNS and HAProxy tokens', async () => {
    const agent = await readFile(join(repoRoot, 'consul/agent.hcl'), 'utf8');
    const block = /^acl\s*\{([^}]*)\}/m.exec(agent)?.[1] ?? '';
    assert.match(block, /^\s*enabled\s*=\s*true\s*$/m);
    assert.match(block, /^\s*default_policy\s*=\s*"deny"\s*$/m);
    const acl = env('consul-acl');
    assert.deepEqual(agentTokens(env('consul')), {
      initial_management: acl.get('CONSUL_HTTP_TOKEN'),
      agent: acl.get('CONSUL_AGENT_TOKEN'),
      dns: acl.get('CONSUL_DNS_TOKEN'),
      config_file_service_registration: acl.get('CONSUL_HAPROXY_TOKEN'),
    });
  });

  test('when a service talks to Consul, then it has a token of its own: none is shared, none is the management token, each is a UUID', () => {
    const talking = services().filter(([, s]) => environmentOf(s).has('CONSUL_HTTP_ADDR'));
    assert.deepEqual(talking.map(([name]) => name).sort(), [
      'accounts',
      'consul-acl',
      'files',
      'gateway',
      'health',
    ]);
    const owners = new Map<string, string>();
    for (const [name, s] of talking) {
      const token = environmentOf(s).get('CONSUL_HTTP_TOKEN') ?? '';
      assert.match(token, uuid, `${name} CONSUL_HTTP_TOKEN`);
      assert.equal(owners.get(token), undefined, `${name} shares ${owners.get(token)}'s token`);
      owners.set(token, name);
    }
    const acl = env('consul-acl');
    const made = [...acl].filter(([variable]) => /^CONSUL_\w+_TOKEN$/.test(variable));
    assert.equal(new Set(made.map(([, token]) => token)).size, made.length, 'tokens repeat');
    for (const [variable, token] of made) assert.match(token, uuid, variable);
    for (const name of ['files', 'health', 'gateway']) {
      assert.equal(
        env(name).get('CONSUL_HTTP_TOKEN'),
        acl.get(`CONSUL_${name.toUpperCase()}_TOKEN`),
        `${name} is given the token consul-acl makes for it`,
      );
    }
  });

  test('when consul-acl makes the tokens, then a service’s token may register that service only, and the DNS token only reads', async () => {
    const script = await readFile(join(repoRoot, 'consul/acl.sh'), 'utf8');
    const made = [
      ...script.matchAll(/^\s*token "\$(CONSUL_\w+_TOKEN)" '[^']*' (.+?)(?: &&)?$/gm),
    ].map((match) => [match[1], match[2]]);
    assert.deepEqual(Object.fromEntries(made), {
      CONSUL_AGENT_TOKEN: '-node-identity consul:dc1',
      CONSUL_DNS_TOKEN: '-policy-name dns-read',
      CONSUL_HAPROXY_TOKEN: '-service-identity haproxy',
      CONSUL_FILES_TOKEN: '-service-identity files',
      CONSUL_HEALTH_TOKEN: '-service-identity health',
      CONSUL_GATEWAY_TOKEN: '-service-identity gateway',
      CONSUL_ACCOUNTS_TOKEN: '-service-identity accounts',
      CONSUL_PROMETHEUS_TOKEN: '-policy-name dns-read',
    });
    const dnsRules = /^dns_rules='([^']*)'/m.exec(script)?.[1] ?? '';
    assert.deepEqual(
      [...dnsRules.matchAll(/policy = "(\w+)"/g)].map((m) => m[1]),
      ['read', 'read', 'read'],
    );
    assert.equal(env('consul-acl').get('CONSUL_HTTP_ADDR'), 'consul:8500');
    for (const name of ['haproxy', 'files', 'health', 'gateway']) {
      const dependsOn = service(name).depends_on as Record<string, { condition?: string }>;
      assert.equal(dependsOn['consul-acl']?.condition, 'service_healthy', `${name} -> consul-acl`);
    }
  });

  test('when Consul tokens are set in the environment, then compose uses them on every side', async () => {
    const custom = await loadCompose({
      CONSUL_MANAGEMENT_TOKEN: '11111111-2222-4333-8444-555555555555',
      CONSUL_FILES_TOKEN: '66666666-7777-4888-8999-aaaaaaaaaaaa',
    });
    const acl = environmentOf(custom.services['consul-acl'] ?? {});
    assert.equal(acl.get('CONSUL_HTTP_TOKEN'), '11111111-2222-4333-8444-555555555555');
    assert.equal(
      agentTokens(environmentOf(custom.services.consul ?? {})).initial_management,
      '11111111-2222-4333-8444-555555555555',
    );
    assert.equal(acl.get('CONSUL_FILES_TOKEN'), '66666666-7777-4888-8999-aaaaaaaaaaaa');
    assert.equal(
      environmentOf(custom.services.files ?? {}).get('CONSUL_HTTP_TOKEN'),
      '66666666-7777-4888-8999-aaaaaaaaaaaa',
    );
  });

  test('when services talk to each other, then each shows its own certificate of the CA certs makes, mounted read-only from its own folder', async () => {
    const made = (env('certs').get('CERT_SERVICES') ?? '').split(/\s+/).sort();
    assert.deepEqual(made, [
      'accounts',
      'consul',
      'files',
      'gateway',
      'haproxy',
      'health',
      'prometheus',
    ]);
    const agent = await readFile(join(repoRoot, 'consul/agent.hcl'), 'utf8');
    assert.match(agent, /^enable_agent_tls_for_checks\s*=\s*true$/m);
    const consulFiles = [...agent.matchAll(/^\s*(?:ca|cert|key)_file\s*=\s*"([^"]+)"/gm)].map(
      (match) => match[1],
    );
    const folders: Record<string, string | undefined> = {
      consul: dirname(consulFiles[0] ?? ''),
      haproxy: env('haproxy').get('INTERNAL_TLS_DIR'),
      files: env('files').get('INTERNAL_TLS_DIR'),
      health: env('health').get('INTERNAL_TLS_DIR'),
      gateway: env('gateway').get('INTERNAL_TLS_DIR'),
    };
    assert.deepEqual(
      consulFiles,
      ['ca.crt', 'tls.crt', 'tls.key'].map((f) => `${folders.consul}/${f}`),
    );
    for (const [name, folder] of Object.entries(folders)) {
      assert.ok(folder, `${name} has no certificate folder`);
      const mounts = (service(name).volumes ?? []).filter(
        (volume) => typeof volume !== 'string' && volume.source === 'certs',
      );
      assert.deepEqual(
        mounts,
        [
          {
            type: 'volume',
            source: 'certs',
            target: folder,
            read_only: true,
            volume: { subpath: name },
          },
        ],
        `${name} mounts another folder of the certs volume, or not read-only`,
      );
      const dependsOn = service(name).depends_on as Record<string, { condition?: string }>;
      assert.equal(dependsOn.certs?.condition, 'service_healthy', `${name} -> certs`);
    }
    assert.deepEqual(service('certs').volumes, ['certs:/certs']);
  });

  test('when HAProxy starts, then it is given exactly the variables haproxy.cfg needs, and none it does not read', async () => {
    const config = await readFile(join(repoRoot, 'haproxy/haproxy.cfg'), 'utf8');
    // LOGS_SYSLOG is optional, and compose leaves it unset: HAProxy resolves a
    // log server's name at start, and victorialogs exists in the ops profile
    // only, so HAProxy would not start without it.
    assertHaproxyVariables(config, [...env('haproxy').keys()]);
  });

  test('when configs and builds are referenced, then their files exist', () => {
    for (const [name, config] of Object.entries(compose.configs ?? {})) {
      assert.ok(config.file && existsSync(join(repoRoot, config.file)), `config ${name}`);
    }
    for (const [name, s] of services()) {
      for (const config of s.configs ?? []) {
        const source = typeof config === 'string' ? config : config.source;
        assert.ok(compose.configs?.[source], `${name} uses undefined config ${source}`);
      }
      for (const volume of s.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
        if (source?.startsWith('./'))
          assert.ok(existsSync(join(repoRoot, source)), `${name} mounts ${source}, not there`);
      }
      if (s.build === undefined) continue;
      const build = typeof s.build === 'string' ? { context: s.build } : s.build;
      const dockerfile = join(repoRoot, build.context ?? '.', build.dockerfile ?? 'Dockerfile');
      assert.ok(existsSync(dockerfile), `${name}: ${dockerfile} does not exist`);
    }
  });

  test('when deployed with docker stack deploy, then it uses only keys that Swarm accepts', () => {
    // docker stack deploy validates against docker/cli's compose v3 schema, which
    // rejects depends_on conditions and profiles; the Swarm copy leaves them out
    // (see the header of compose.yaml).
    // https://github.com/docker/cli/blob/master/cli/compose/schema/data/config_schema_v3.14.json
    const top = new Set(['version', 'services', 'networks', 'volumes', 'secrets', 'configs']);
    for (const key of Object.keys(compose)) {
      assert.ok(top.has(key) || key.startsWith('x-'), `top-level ${key}`);
    }
    for (const [name, config] of Object.entries(compose.configs ?? {})) {
      for (const key of Object.keys(config)) {
        assert.ok(swarmConfigKeys.has(key), `config ${name}: ${key}`);
      }
    }
    for (const [name, s] of defaultServices()) {
      for (const key of Object.keys(s)) {
        if (key === 'depends_on') continue;
        assert.ok(swarmServiceKeys.has(key) || key.startsWith('x-'), `${name}: ${key}`);
      }
      for (const key of Object.keys(s.healthcheck ?? {})) {
        assert.ok(swarmHealthcheckKeys.has(key), `${name}: healthcheck.${key}`);
      }
      for (const key of Object.keys(s.deploy ?? {})) {
        assert.ok(swarmDeployKeys.has(key), `${name}: deploy.${key}`);
      }
      for (const value of Object.values(
        Array.isArray(s.environment) ? {} : (s.environment ?? {}),
      )) {
        assert.notEqual(typeof value, 'boolean', `${name}: Swarm takes no boolean env values`);
      }
    }
  });
});

/** Consul's -secret and SecretID take UUIDs only. */
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The `acl.tokens` the consul service's CONSUL_LOCAL_CONFIG gives the agent. */
function agentTokens(consul: Map<string, string>): Record<string, string> {
  const config = JSON.parse(consul.get('CONSUL_LOCAL_CONFIG') ?? '{}') as {
    acl?: { tokens?: Record<string, string> };
  };
  return config.acl?.tokens ?? {};
}

const swarmServiceKeys = new Set([
  'deploy',
  'build',
  'cap_add',
  'cap_drop',
  'cgroupns_mode',
  'cgroup_parent',
  'command',
  'configs',
  'container_name',
  'credential_spec',
  'depends_on',
  'devices',
  'dns',
  'dns_search',
  'domainname',
  'entrypoint',
  'env_file',
  'environment',
  'expose',
  'external_links',
  'extra_hosts',
  'healthcheck',
  'hostname',
  'image',
  'init',
  'ipc',
  'isolation',
  'labels',
  'links',
  'logging',
  'mac_address',
  'network_mode',
  'networks',
  'pid',
  'ports',
  'privileged',
  'read_only',
  'restart',
  'security_opt',
  'shm_size',
  'secrets',
  'sysctls',
  'stdin_open',
  'stop_grace_period',
  'stop_signal',
  'tmpfs',
  'tty',
  'ulimits',
  'oom_score_adj',
  'user',
  'userns_mode',
  'volumes',
  'working_dir',
]);
const swarmHealthcheckKeys = new Set([
  'disable',
  'interval',
  'retries',
  'test',
  'timeout',
  'start_period',
  'start_interval',
]);
const swarmDeployKeys = new Set([
  'mode',
  'endpoint_mode',
  'replicas',
  'labels',
  'rollback_config',
  'update_config',
  'resources',
  'restart_policy',
  'placement',
]);
const swarmConfigKeys = new Set(['name', 'file', 'external', 'labels', 'template_driver']);
