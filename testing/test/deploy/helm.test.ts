import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { readConfig, type Schema } from '@filegraph/shared/config';
import { accountsSettings } from '@filegraph/accounts/config';
import { filesSettings } from '@filegraph/files/config';
import { healthSettings } from '@filegraph/health/config';
import { gatewaySettings } from '@filegraph/supergraph/config';
import type { InternalTls } from '@filegraph/shared/tls';
import { certificates } from '@filegraph/processes/tls';
import { goInstallCommand, requireTool } from '@filegraph/processes/tools';
import { tempDir } from '../../src/temp.ts';
import {
  assertHaproxyVariables,
  environmentOf,
  loadCompose,
  repoRoot,
  type ComposeFile,
} from './loadCompose.ts';

/**
 * deploy/helm/filegraph, rendered by helm with its defaults (MinIO and
 * PostgreSQL in the chart, certificates made with `npm run certs`) and with
 * ci/external-values.yaml (everything outside, certificates from
 * cert-manager), and checked as compose.test.ts checks compose.yaml.
 */

const chart = join(repoRoot, 'deploy/helm/filegraph');
const externalValues = join(chart, 'ci/external-values.yaml');
const helmModule = 'helm.sh/helm/v3/cmd/helm@v3.22.0';
const release = 'filegraph';

async function helm(...args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(requireTool('helm'), args, {
      timeout: 60_000,
      maxBuffer: 16 * 2 ** 20,
    });
    return stdout;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`helm ${args.join(' ')} failed: ${stderr || message}`, {
      cause: error,
    });
  }
}

// The parts of the Kubernetes objects these checks read.
interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}
interface Probe {
  readonly exec?: { readonly command: readonly string[] };
  readonly httpGet?: { readonly path: string; readonly port: string | number };
}
interface Container {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly ports?: readonly unknown[];
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly resources?: {
    readonly requests?: Record<string, unknown>;
    readonly limits?: Record<string, unknown>;
  };
  readonly securityContext?: {
    readonly allowPrivilegeEscalation?: boolean;
    readonly readOnlyRootFilesystem?: boolean;
    readonly capabilities?: { readonly drop?: readonly string[] };
  };
  readonly volumeMounts?: ReadonlyArray<{
    readonly name: string;
    readonly mountPath: string;
    readonly subPath?: string;
  }>;
}
interface PodSpec {
  readonly automountServiceAccountToken?: boolean;
  readonly securityContext?: { readonly runAsNonRoot?: boolean; readonly runAsUser?: number };
  readonly initContainers?: readonly Container[];
  readonly containers: readonly Container[];
  readonly volumes?: ReadonlyArray<{
    readonly name: string;
    readonly secret?: { readonly secretName: string };
    readonly configMap?: { readonly name: string };
  }>;
}
interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly data?: Readonly<Record<string, string>>;
  readonly spec?: {
    readonly replicas?: number;
    readonly template?: {
      readonly metadata?: { readonly labels?: Record<string, string> };
      readonly spec: PodSpec;
    };
    readonly [key: string]: unknown;
  };
}

/** One rendering of the chart, with what the checks ask of it. */
class Rendering {
  readonly manifests: readonly Manifest[];

  constructor(text: string) {
    this.manifests = parseAllDocuments(text)
      .map((document) => document.toJS() as Manifest | null)
      .filter((manifest): manifest is Manifest => manifest !== null);
  }

  find(kind: string, name: string): Manifest | undefined {
    return this.manifests.find((m) => m.kind === kind && m.metadata.name === name);
  }

  get(kind: string, name: string): Manifest {
    const found = this.find(kind, name);
    assert.ok(found, `no ${kind} ${name} in the rendering`);
    return found;
  }

  all(kind: string): Manifest[] {
    return this.manifests.filter((m) => m.kind === kind);
  }

  /** Everything that runs pods. */
  workloads(): Manifest[] {
    return this.manifests.filter((m) => ['Deployment', 'StatefulSet', 'Job'].includes(m.kind));
  }

  pod(kind: string, name: string): PodSpec {
    const spec = this.get(kind, name).spec?.template?.spec;
    assert.ok(spec, `${kind} ${name} has no pod template`);
    return spec;
  }

  container(kind: string, name: string, container = component(name)): Container {
    const found = this.pod(kind, name).containers.find((c) => c.name === container);
    assert.ok(found, `${kind} ${name} has no container ${container}`);
    return found;
  }

  /** A Secret's values, decoded; undefined when the chart does not make it. */
  secret(name: string): Map<string, string> | undefined {
    const secret = this.find('Secret', name);
    if (!secret) return undefined;
    return new Map(
      Object.entries(secret.data ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
  }

  /**
   * A container's environment as the kubelet gives it: Secrets' values (the
   * chart's own, or samples for those it expects to exist), the downward
   * API's, and $(VAR) references to earlier variables expanded.
   */
  environment(container: Container): Map<string, string> {
    const env = new Map<string, string>();
    for (const variable of container.env ?? []) {
      const ref = variable.valueFrom?.secretKeyRef;
      const field = variable.valueFrom?.fieldRef?.fieldPath;
      const value =
        variable.value ??
        (ref && (this.secret(ref.name)?.get(ref.key) ?? sampleSecret(variable.name))) ??
        (field && downwardApi[field]);
      assert.ok(value !== undefined, `${container.name}: no value for ${variable.name}`);
      env.set(
        variable.name,
        value.replace(/\$\((\w+)\)/g, (_, name: string) => env.get(name) ?? `$(${name})`),
      );
    }
    return env;
  }
}

/** The component a resource is named after: filegraph-files -> files. */
function component(name: string): string {
  return name.replace(`${release}-`, '');
}

const downwardApi: Record<string, string> = {
  'status.podIP': '10.1.2.3',
  'status.hostIP': '10.0.0.1',
  'metadata.name': 'filegraph-files-7d9f8-abcde',
};

/** What a Secret the chart expects to exist (an existingSecret) might hold. */
function sampleSecret(variable: string): string {
  return samples[variable] ?? 'sample-secret-value';
}

const samples: Record<string, string> = {
  DATABASE_URL: 'postgres://filegraph:sample@db.example.com:5432/filegraph',
  IDENTITY_SECRET: 'sample-identity-secret-of-at-least-32-characters',
  ADMIN_EMAIL: 'admin@example.com',
};

/** Variables the kubelet only uses to expand others (consul.nodeAgent's HOST_IP). */
function onlyExpanded(container: Container): Set<string> {
  const referenced = new Set(
    (container.env ?? []).flatMap((v) =>
      [...(v.value ?? '').matchAll(/\$\((\w+)\)/g)].map((m) => m[1]),
    ),
  );
  return new Set(
    (container.env ?? [])
      .filter((v) => v.valueFrom?.fieldRef && referenced.has(v.name))
      .map((v) => v.name),
  );
}

const schemas = {
  files: filesSettings,
  health: healthSettings,
  accounts: accountsSettings,
  gateway: gatewaySettings,
} as const;
const subgraphPorts = { files: '4001', health: '4002', accounts: '4003' } as const;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let defaults: Rendering;
let external: Rendering;
let compose: ComposeFile;
let certs: Awaited<ReturnType<typeof tempDir>>;
let tls: Record<string, InternalTls>;

before(async () => {
  certs = await tempDir('helm-certs');
  [compose, tls] = await Promise.all([
    loadCompose(),
    certificates(certs.path, Object.keys(schemas)),
  ]);
});
after(() => certs?.remove());

describe('deploy/helm/filegraph', () => {
  before(async () => {
    requireTool('helm'); // fails at once, naming how to install it, before anything slow
    [defaults, external] = await Promise.all([
      helm('template', release, chart).then((text) => new Rendering(text)),
      helm('template', release, chart, '-f', externalValues).then((text) => new Rendering(text)),
    ]);
  });

  test('when the chart is linted strictly, with its defaults and with external services and cert-manager, then helm finds nothing wrong', async () => {
    await helm('lint', '--strict', chart);
    await helm('lint', '--strict', chart, '-f', externalValues);
  });

  test('when rendered with its defaults, then it runs compose’s topology: gateway, files, health, accounts, frontend, HAProxy, MinIO, PostgreSQL and the two init steps', () => {
    const running = defaults.workloads().map((m) => `${m.kind} ${component(m.metadata.name)}`);
    assert.deepEqual(running.sort(), [
      'Deployment accounts',
      'Deployment files',
      'Deployment frontend',
      'Deployment gateway',
      'Deployment haproxy',
      'Deployment health',
      // compose's consul-acl and minio-init, once per release revision.
      'Job consul-acl-1',
      'Job minio-init-1',
      'StatefulSet minio',
      'StatefulSet postgresql',
    ]);
    for (const name of ['minio', 'postgresql']) {
      const claims = defaults.get('StatefulSet', `${release}-${name}`).spec?.volumeClaimTemplates;
      assert.ok(Array.isArray(claims) && claims.length === 1, `${name} keeps no data on a volume`);
    }
  });

  test('when MinIO, PostgreSQL and Consul are someone else’s, then the chart runs only filegraph’s own services', () => {
    const running = external.workloads().map((m) => component(m.metadata.name));
    assert.deepEqual(running.sort(), [
      'accounts',
      'files',
      'frontend',
      'gateway',
      'haproxy',
      'health',
    ]);
    const files = external.environment(external.container('Deployment', `${release}-files`));
    assert.equal(files.get('MINIO_ENDPOINT'), 'https://s3.example.com');
    assert.equal(files.get('MINIO_BUCKET'), 'filegraph-prod');
    assert.equal(files.get('CONSUL_HTTP_ADDR'), '10.0.0.1:8500', 'the agent on the pod’s node');
  });

  for (const [label, rendering] of [
    ['its defaults', () => defaults],
    ['external services', () => external],
  ] as const) {
    for (const [name, schema] of Object.entries(schemas)) {
      test(`when ${name} starts (${label}), then every variable it is given is one it reads, with a valid value`, () => {
        const container = rendering().container('Deployment', `${release}-${name}`);
        const given = rendering().environment(container);
        for (const variable of onlyExpanded(container)) given.delete(variable);
        const read = new Set(Object.values(schema as Schema).map((setting) => setting.env));
        const unknown = [...given.keys()].filter((variable) => !read.has(variable));
        assert.deepEqual(unknown, [], `${name} does not read ${unknown.join(', ')}`);
        // The certificates exist in the pods only: here, a folder made the same way.
        assert.ok(given.has('INTERNAL_TLS_DIR'), `${name} has no INTERNAL_TLS_DIR`);
        given.set('INTERNAL_TLS_DIR', tls[name]?.dir ?? '');
        assert.doesNotThrow(() => readConfig(schema, Object.fromEntries(given)));
      });
    }
  }

  test('when the services start, then each is given the variables compose gives it, and HAProxy only variables haproxy.cfg reads, every one it needs', async () => {
    for (const name of Object.keys(schemas)) {
      const chartNames = (defaults.container('Deployment', `${release}-${name}`).env ?? []).map(
        (v) => v.name,
      );
      const composeNames = [...environmentOf(compose.services[name] ?? {}).keys()];
      assert.deepEqual(chartNames.sort(), composeNames.sort(), name);
    }
    const config = await readFile(join(repoRoot, 'haproxy/haproxy.cfg'), 'utf8');
    // The chart, like compose, leaves the optional LOGS_SYSLOG out.
    assertHaproxyVariables(
      config,
      (defaults.container('Deployment', `${release}-haproxy`).env ?? []).map((v) => v.name),
    );
  });

  test('when HAProxy starts, then its configuration is the repository’s haproxy/haproxy.cfg, byte for byte', async () => {
    const config = await readFile(join(repoRoot, 'haproxy/haproxy.cfg'), 'utf8');
    for (const rendering of [defaults, external]) {
      const map = rendering.get('ConfigMap', `${release}-haproxy`);
      assert.equal(map.data?.['haproxy.cfg'], config);
      const pod = rendering.pod('Deployment', `${release}-haproxy`);
      const mount = rendering
        .container('Deployment', `${release}-haproxy`)
        .volumeMounts?.find((m) => m.mountPath === '/usr/local/etc/haproxy/haproxy.cfg');
      const volume = pod.volumes?.find((v) => v.name === mount?.name);
      assert.equal(volume?.configMap?.name, `${release}-haproxy`);
      assert.equal(mount?.subPath, 'haproxy.cfg');
    }
  });

  test('when any pod runs, then it runs as a user that is not root, with a read-only root file system, no capability, no API token and bounded resources', () => {
    for (const rendering of [defaults, external]) {
      for (const workload of rendering.workloads()) {
        const pod = rendering.pod(workload.kind, workload.metadata.name);
        const where = `${workload.kind} ${workload.metadata.name}`;
        assert.equal(pod.securityContext?.runAsNonRoot, true, `${where}: runAsNonRoot`);
        assert.ok((pod.securityContext?.runAsUser ?? 0) > 0, `${where}: runAsUser`);
        assert.equal(pod.automountServiceAccountToken, false, `${where}: service account token`);
        for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
          const at = `${where}, container ${container.name}`;
          const security = container.securityContext;
          assert.equal(security?.readOnlyRootFilesystem, true, `${at}: readOnlyRootFilesystem`);
          assert.equal(security?.allowPrivilegeEscalation, false, `${at}: privilege escalation`);
          assert.deepEqual(security?.capabilities?.drop, ['ALL'], `${at}: capabilities`);
          for (const bound of ['requests', 'limits'] as const) {
            for (const resource of ['cpu', 'memory']) {
              assert.ok(container.resources?.[bound]?.[resource], `${at}: ${bound}.${resource}`);
            }
          }
        }
      }
    }
  });

  test('when a service serves, then it has liveness and readiness probes, and the subgraphs’ run inside with their certificate, as compose’s healthchecks do', () => {
    for (const rendering of [defaults, external]) {
      for (const workload of rendering.workloads().filter((w) => w.kind !== 'Job')) {
        for (const container of rendering.pod(workload.kind, workload.metadata.name).containers) {
          if (!container.ports) continue; // the registration beside HAProxy serves nothing
          const at = `${workload.metadata.name}, container ${container.name}`;
          assert.ok(container.livenessProbe, `${at} has no liveness probe`);
          assert.ok(container.readinessProbe, `${at} has no readiness probe`);
        }
      }
      for (const [name, port] of Object.entries(subgraphPorts)) {
        const container = rendering.container('Deployment', `${release}-${name}`);
        const healthcheck = compose.services[name]?.healthcheck?.test;
        assert.ok(Array.isArray(healthcheck) && healthcheck[0] === 'CMD');
        assert.deepEqual(container.readinessProbe?.exec?.command, healthcheck.slice(1));
        assert.deepEqual(container.livenessProbe?.exec?.command, [
          'node',
          'scripts/probe-ready.mjs',
          port,
          name,
          '/health',
        ]);
      }
      const gateway = rendering.container('Deployment', `${release}-gateway`);
      assert.equal(gateway.livenessProbe?.httpGet?.path, '/health');
      assert.equal(gateway.readinessProbe?.httpGet?.path, '/ready');
    }
  });

  test('when files runs, then at least two replicas serve, a PodDisruptionBudget keeps one through drains, and the autoscaler stays within HAProxy’s 10 slots', () => {
    const labels = defaults.get('Deployment', `${release}-files`).spec?.template?.metadata?.labels;
    for (const rendering of [defaults, external]) {
      const budget = rendering.get('PodDisruptionBudget', `${release}-files`).spec;
      assert.deepEqual(budget?.selector, { matchLabels: labels });
      assert.ok(Number(budget?.minAvailable) >= 1);
    }
    const autoscaler = defaults.get('HorizontalPodAutoscaler', `${release}-files`).spec;
    assert.deepEqual(autoscaler?.scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: `${release}-files`,
    });
    assert.ok(Number(autoscaler?.minReplicas) >= 2, 'minReplicas');
    assert.ok(Number(autoscaler?.maxReplicas) <= 10, 'maxReplicas');
    // The autoscaler owns the count; without it, the Deployment says it.
    assert.equal(defaults.get('Deployment', `${release}-files`).spec?.replicas, undefined);
    assert.equal(external.find('HorizontalPodAutoscaler', `${release}-files`), undefined);
    assert.ok((external.get('Deployment', `${release}-files`).spec?.replicas ?? 0) >= 2);
  });

  test('when a value the deployment cannot work without is missing or out of range, then helm refuses and says which', async () => {
    const refusals: Array<[string, RegExp]> = [
      ['files.autoscaling.maxReplicas=11', /server-template has 10 slots/],
      ['files.autoscaling.enabled=false,files.replicas=1', /files\.replicas must be at least 2/],
      [
        'minio.enabled=false,minio.filesUser.existingSecret=s3',
        /minio\.external\.endpoint is required/,
      ],
      [
        'minio.enabled=false,minio.external.endpoint=https://s3.example.com',
        /minio\.filesUser\.existingSecret is required/,
      ],
      ['postgresql.enabled=false', /postgresql\.external\.existingSecret is required/],
      ['consul.acl.createTokens=false', /consul\.tokens\.existingSecret is required/],
      ['accounts.replicas=11', /server-template has 10 slots/],
      ['accounts.signup=everyone', /accounts\.signup must be closed or open/],
      ['accounts.admin.email=admin@example.com', /accounts\.admin\.password is required/],
      [
        'accounts.admin.email=admin@example.com,accounts.admin.password=short',
        /accounts\.admin\.password must be 8 to 256 characters/,
      ],
      [
        'accounts.admin.existingSecret=mine,accounts.admin.email=admin@example.com',
        /set existingSecret or email and password, not both/,
      ],
      ['ingress.enabled=true', /ingress\.hosts needs at least one host/],
    ];
    await Promise.all(
      refusals.map(([values, reason]) =>
        assert.rejects(helm('template', release, chart, '--set', values), reason, values),
      ),
    );
  });

  test('when the tests’ set-up installs helm, then it is the version these tests name', () => {
    assert.equal(goInstallCommand('helm'), `go install ${helmModule}`);
  });

  test('when a setting is a credential, then it comes from a Secret, and no Secret’s value appears outside Secrets', () => {
    const secretSettings = new Set(
      Object.values(schemas).flatMap((schema) =>
        Object.values(schema as Schema)
          .filter((setting) => setting.secret)
          .map((setting) => setting.env),
      ),
    );
    const credential = (name: string) =>
      secretSettings.has(name) ||
      /PASSWORD|SECRET|TOKEN|ACCESS_KEY|ROOT_USER|FILES_USER|DATABASE_URL/.test(name);
    for (const rendering of [defaults, external]) {
      for (const workload of rendering.workloads()) {
        const pod = rendering.pod(workload.kind, workload.metadata.name);
        for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
          for (const variable of container.env ?? []) {
            if (!credential(variable.name)) continue;
            assert.ok(
              variable.valueFrom?.secretKeyRef,
              `${workload.metadata.name}/${container.name}: ${variable.name} is not from a Secret`,
            );
          }
        }
      }
    }
    // The values the chart makes (passwords, tokens, the database URL) show nowhere else.
    const made = defaults
      .all('Secret')
      .flatMap((secret) => [...(defaults.secret(secret.metadata.name)?.values() ?? [])])
      .filter((value) => value.length >= 16);
    assert.ok(made.length >= 10, 'the chart makes passwords, tokens and the identity secret');
    const elsewhere = JSON.stringify(defaults.manifests.filter((m) => m.kind !== 'Secret'));
    for (const value of made) assert.ok(!elsewhere.includes(value), 'a Secret value shows outside');
  });

  test('when the gateway and the subgraphs start, then each gets IDENTITY_SECRET from the one Secret: the chart’s own of 48 random characters, or the one the values name', () => {
    for (const [rendering, secret] of [
      [defaults, `${release}-identity`],
      [external, 'filegraph-identity-ops'],
    ] as const) {
      const holders = rendering.workloads().flatMap((workload) =>
        rendering
          .pod(workload.kind, workload.metadata.name)
          .containers.filter((c) => c.env?.some((v) => v.name === 'IDENTITY_SECRET'))
          .map((container) => ({ name: component(workload.metadata.name), container })),
      );
      assert.deepEqual(holders.map((h) => h.name).sort(), Object.keys(schemas).sort());
      for (const { name, container } of holders) {
        const variable = container.env?.find((v) => v.name === 'IDENTITY_SECRET');
        assert.equal(variable?.value, undefined, `${name}: IDENTITY_SECRET as a plain value`);
        assert.deepEqual(variable?.valueFrom?.secretKeyRef, { name: secret, key: 'secret' }, name);
      }
    }
    assert.match(defaults.secret(`${release}-identity`)?.get('secret') ?? '', /^[A-Za-z0-9]{48}$/);
    assert.equal(external.find('Secret', `${release}-identity`), undefined, 'yours is used');
  });

  test('when the first admin is given in the values, then accounts gets the email and password from a Secret, and the password is in no ConfigMap or plain variable', async () => {
    const password = 'first-admin-password-7f3c9a';
    const text = await helm(
      'template',
      release,
      chart,
      '--set',
      `accounts.admin.email=Admin@Example.com,accounts.admin.password=${password}`,
    );
    assert.ok(!text.includes(password), 'the password shows in clear');
    const given = new Rendering(text);
    const secret = `${release}-accounts-admin`;
    assert.deepEqual(Object.fromEntries(given.secret(secret) ?? []), {
      email: 'Admin@Example.com',
      password,
    });
    const encoded = Buffer.from(password).toString('base64');
    const elsewhere = JSON.stringify(
      given.manifests.filter((m) => !(m.kind === 'Secret' && m.metadata.name === secret)),
    );
    assert.ok(!elsewhere.includes(encoded), 'the password shows outside its Secret');
    for (const [rendering, name] of [
      [given, secret],
      [defaults, secret],
      [external, 'filegraph-accounts-admin-ops'],
    ] as const) {
      const env = rendering.container('Deployment', `${release}-accounts`).env ?? [];
      for (const [variable, key] of [
        ['ADMIN_EMAIL', 'email'],
        ['ADMIN_PASSWORD', 'password'],
      ] as const) {
        const found = env.find((v) => v.name === variable);
        assert.equal(found?.value, undefined, `${variable} as a plain value`);
        assert.deepEqual(found?.valueFrom?.secretKeyRef, { name, key }, variable);
      }
    }
    const config = (rendering: Rendering) => {
      const env = rendering.environment(rendering.container('Deployment', `${release}-accounts`));
      env.set('INTERNAL_TLS_DIR', tls.accounts?.dir ?? '');
      return readConfig(accountsSettings, Object.fromEntries(env));
    };
    assert.equal(config(given).adminEmail, 'admin@example.com');
    assert.equal(config(given).adminPassword, password);
    // None given: the Secret's keys are empty, and accounts logs a setup code instead.
    assert.deepEqual(Object.fromEntries(defaults.secret(secret) ?? []), {
      email: '',
      password: '',
    });
    assert.equal(config(defaults).adminEmail, undefined);
    assert.equal(external.find('Secret', secret), undefined, 'yours is used');
  });

  test('when accounts runs, then it keeps users, sessions and tokens in the files catalogue’s database, with its replicas kept through drains', async () => {
    for (const [rendering, replicas, signup] of [
      [defaults, 2, 'closed'],
      [external, 3, 'open'],
    ] as const) {
      const url = (name: string) =>
        rendering
          .container('Deployment', `${release}-${name}`)
          .env?.find((v) => v.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
      assert.ok(url('files'));
      assert.deepEqual(url('accounts'), url('files'));
      const env = rendering.environment(rendering.container('Deployment', `${release}-accounts`));
      assert.equal(env.get('ACCOUNTS_STORE'), 'postgres');
      assert.equal(env.get('SIGNUP'), signup);
      const deployment = rendering.get('Deployment', `${release}-accounts`).spec;
      assert.equal(deployment?.replicas, replicas);
      const budget = rendering.get('PodDisruptionBudget', `${release}-accounts`).spec;
      assert.deepEqual(budget?.selector, { matchLabels: deployment?.template?.metadata?.labels });
      assert.ok(Number(budget?.minAvailable) >= 1);
    }
    // One replica: a budget keeping it would block every node drain.
    const single = new Rendering(
      await helm('template', release, chart, '--set', 'accounts.replicas=1'),
    );
    assert.equal(single.find('PodDisruptionBudget', `${release}-accounts`), undefined);
  });

  test('when a container reads a Secret, then the chart makes it with that key, or it is one the values name', () => {
    const named = new Set([
      'consul-bootstrap-acl-token', // HashiCorp's chart writes it
      'filegraph-consul-tokens-ops',
      'filegraph-s3',
      'filegraph-database',
      'filegraph-accounts-admin-ops',
      'filegraph-identity-ops',
    ]);
    for (const rendering of [defaults, external]) {
      for (const workload of rendering.workloads()) {
        const pod = rendering.pod(workload.kind, workload.metadata.name);
        for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
          for (const variable of container.env ?? []) {
            const ref = variable.valueFrom?.secretKeyRef;
            if (!ref) continue;
            const made = rendering.secret(ref.name);
            if (made) assert.ok(made.has(ref.key), `${ref.name} has no key ${ref.key}`);
            else assert.ok(named.has(ref.name), `${variable.name}: no Secret ${ref.name}`);
          }
        }
      }
    }
  });

  test('when services talk to each other, then each mounts its own certificate Secret as INTERNAL_TLS_DIR, and HAProxy gets tls.pem made from it', () => {
    for (const rendering of [defaults, external]) {
      for (const name of Object.keys(schemas)) {
        const pod = rendering.pod('Deployment', `${release}-${name}`);
        const container = rendering.container('Deployment', `${release}-${name}`);
        const folder = rendering.environment(container).get('INTERNAL_TLS_DIR');
        const mount = container.volumeMounts?.find((m) => m.mountPath === folder);
        const volume = pod.volumes?.find((v) => v.name === mount?.name);
        assert.equal(volume?.secret?.secretName, `${release}-${name}-tls`, name);
      }
      const pod = rendering.pod('Deployment', `${release}-haproxy`);
      const folder = rendering
        .environment(rendering.container('Deployment', `${release}-haproxy`))
        .get('INTERNAL_TLS_DIR');
      const mount = rendering
        .container('Deployment', `${release}-haproxy`)
        .volumeMounts?.find((m) => m.mountPath === folder);
      const init = pod.initContainers?.find((c) => c.name === 'tls-pem');
      const script = init?.command?.join(' ') ?? '';
      assert.match(script, /cat \/secret\/tls\.crt \/secret\/tls\.key > \/tls\/tls\.pem/);
      assert.ok(init?.volumeMounts?.some((m) => m.name === mount?.name && m.mountPath === '/tls'));
      const source = init?.volumeMounts?.find((m) => m.mountPath === '/secret');
      const secret = pod.volumes?.find((v) => v.name === source?.name)?.secret;
      assert.equal(secret?.secretName, `${release}-haproxy-tls`);
    }
  });

  test('when cert-manager issues the certificates, then each service gets one naming it alone, for serving and as a client, from a CA Issuer', async () => {
    const own = new Rendering(
      await helm('template', release, chart, '--set', 'internalTls.certManager.enabled=true'),
    );
    for (const [rendering, issuer] of [
      [own, { name: `${release}-ca`, kind: 'Issuer', group: 'cert-manager.io' }],
      [external, { name: 'ops-internal-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' }],
    ] as const) {
      for (const name of ['consul', 'haproxy', 'gateway', 'files', 'health', 'accounts']) {
        const spec = rendering.get('Certificate', `${release}-${name}-tls`).spec ?? {};
        assert.equal(spec.secretName, `${release}-${name}-tls`);
        assert.deepEqual(spec.dnsNames, [name]);
        assert.deepEqual(spec.usages, ['digital signature', 'server auth', 'client auth']);
        assert.deepEqual(spec.issuerRef, issuer);
      }
    }
    // The chart's own CA: a self-signed CA certificate, and an Issuer signing with it.
    const ca = own.get('Certificate', `${release}-ca`).spec ?? {};
    assert.equal(ca.isCA, true);
    assert.deepEqual(own.get('Issuer', `${release}-ca`).spec, {
      ca: { secretName: ca.secretName },
    });
    assert.equal(
      defaults.all('Certificate').length,
      0,
      'by default: Secrets made by npm run certs',
    );
    assert.equal(external.all('Issuer').length, 0, 'an Issuer of yours: the chart makes none');
  });

  test('when the chart names images, then ours are <registry>/<name>:<tag> as compose builds them, and the others are the versions compose pins', () => {
    const images = (rendering: Rendering) =>
      new Map(
        rendering
          .workloads()
          .flatMap((w) => {
            const pod = rendering.pod(w.kind, w.metadata.name);
            return [...(pod.initContainers ?? []), ...pod.containers];
          })
          .map((c) => [
            c.image
              .replace(/:[^/:]+$/, '')
              .split('/')
              .pop() ?? '',
            c.image,
          ]),
      );
    const expected = new Map(
      [
        'gateway',
        'files',
        'health',
        'accounts',
        'frontend',
        'minio',
        'haproxy',
        'postgres',
        'consul',
      ].map((name) => [name, compose.services[name]?.image ?? '']),
    );
    assert.deepEqual(images(defaults), expected);
    for (const [name, image] of images(external)) {
      if (['haproxy', 'consul'].includes(name)) assert.equal(image, expected.get(name));
      else assert.equal(image, `registry.example.com/filegraph/${name}:0.1.0`);
    }
  });

  test('when a service talks to Consul, then it holds a token of its own, and consul-acl creates each one with the service identity compose’s consul/acl.sh gives it', async () => {
    const tokens = defaults.secret(`${release}-consul-tokens`);
    assert.deepEqual([...(tokens?.keys() ?? [])].sort(), [
      'accounts',
      'files',
      'gateway',
      'haproxy',
      'health',
    ]);
    for (const token of tokens?.values() ?? []) assert.match(token, uuid);
    assert.equal(new Set(tokens?.values()).size, 5, 'tokens repeat');
    for (const rendering of [defaults, external]) {
      const owner = (deployment: string, container: string) =>
        rendering
          .container('Deployment', `${release}-${deployment}`, container)
          .env?.find((v) => v.name === 'CONSUL_HTTP_TOKEN')?.valueFrom?.secretKeyRef?.key;
      for (const name of Object.keys(schemas)) assert.equal(owner(name, name), name);
      assert.equal(owner('haproxy', 'registration'), 'haproxy');
    }
    const ours = await readFile(join(chart, 'files/consul-tokens.sh'), 'utf8');
    const compose = await readFile(join(repoRoot, 'consul/acl.sh'), 'utf8');
    const identities = (script: string) =>
      Object.fromEntries(
        [
          ...script.matchAll(
            /^\s*token "\$(CONSUL_\w+_TOKEN)" '[^']*' (?:-service-identity )?(\w+)/gm,
          ),
        ]
          .filter((match) =>
            ['HAPROXY', 'FILES', 'HEALTH', 'GATEWAY', 'ACCOUNTS'].some((s) =>
              match[1]?.includes(s),
            ),
          )
          .map((match) => [match[1], match[2]]),
      );
    assert.deepEqual(identities(ours), identities(compose));
    assert.equal(Object.keys(identities(ours)).length, 5);
    const job = defaults.container('Job', `${release}-consul-acl-1`, 'consul-acl');
    const given = new Map(
      (job.env ?? []).map((v) => [v.name, v.valueFrom?.secretKeyRef?.key ?? v.value]),
    );
    for (const name of ['haproxy', 'files', 'health', 'accounts', 'gateway']) {
      assert.equal(given.get(`CONSUL_${name.toUpperCase()}_TOKEN`), name);
    }
  });

  test('when the files service signs in to MinIO, then it is the user minio-init makes, never root', async () => {
    const files = defaults.container('Deployment', `${release}-files`);
    const init = defaults.container('Job', `${release}-minio-init-1`, 'minio-init');
    const ref = (container: Container, name: string) =>
      container.env?.find((v) => v.name === name)?.valueFrom?.secretKeyRef;
    assert.deepEqual(ref(files, 'MINIO_ACCESS_KEY'), ref(init, 'MINIO_FILES_USER'));
    assert.deepEqual(ref(files, 'MINIO_SECRET_KEY'), ref(init, 'MINIO_FILES_PASSWORD'));
    const env = (container: Container) => defaults.environment(container);
    assert.equal(env(init).get('MINIO_URL'), env(files).get('MINIO_ENDPOINT'));
    assert.equal(env(init).get('MINIO_BUCKET'), env(files).get('MINIO_BUCKET'));
    assert.notEqual(env(init).get('MINIO_FILES_USER'), env(init).get('MINIO_ROOT_USER'));
    const holders = defaults
      .workloads()
      .filter((w) =>
        defaults
          .pod(w.kind, w.metadata.name)
          .containers.some((c) => c.env?.some((v) => v.name === 'MINIO_ROOT_PASSWORD')),
      )
      .map((w) => component(w.metadata.name));
    assert.deepEqual(holders.sort(), ['minio', 'minio-init-1']);
    // The script our MinIO image carries (minio/Dockerfile copies it there).
    const dockerfile = await readFile(join(repoRoot, 'minio/Dockerfile'), 'utf8');
    const copied = /^COPY\b.*\bfiles-user\.sh\b.*\s(\S+\/)$/m.exec(dockerfile)?.[1];
    assert.match(init.command?.join(' ') ?? '', new RegExp(`${copied}files-user\\.sh`));
    assert.equal(init.image, defaults.container('StatefulSet', `${release}-minio`).image);
  });

  test('when PostgreSQL is in the chart, then the files replicas sign in as the role the image makes, with the password it was given', () => {
    const postgres = defaults.environment(
      defaults.container('StatefulSet', `${release}-postgresql`),
    );
    const files = defaults.environment(defaults.container('Deployment', `${release}-files`));
    const url = new URL(files.get('DATABASE_URL') ?? '');
    assert.equal(url.protocol, 'postgres:');
    assert.equal(`${url.hostname}:${url.port}`, `${release}-postgresql:5432`);
    assert.equal(url.username, postgres.get('POSTGRES_USER'));
    assert.equal(decodeURIComponent(url.password), postgres.get('POSTGRES_PASSWORD'));
    assert.equal(url.pathname, `/${postgres.get('POSTGRES_DB')}`);
    assert.ok(defaults.find('Service', `${release}-postgresql`));
  });

  test('when people reach filegraph, then only through the gateway: an Ingress to its Service, whose hosts the gateway answers to', () => {
    for (const rendering of [defaults, external]) {
      for (const service of rendering.all('Service')) {
        assert.ok(
          [undefined, 'ClusterIP'].includes(service.spec?.type as string | undefined),
          `${service.metadata.name} is exposed outside the cluster`,
        );
      }
    }
    assert.equal(defaults.all('Ingress').length, 0);
    const [ingress, ...more] = external.all('Ingress');
    assert.equal(more.length, 0);
    const rules = (ingress?.spec?.rules ?? []) as Array<{
      host: string;
      http: { paths: Array<{ backend: { service: { name: string } } }> };
    }>;
    for (const rule of rules) {
      for (const path of rule.http.paths) {
        assert.equal(path.backend.service.name, `${release}-gateway`);
      }
    }
    const gateway = external.environment(external.container('Deployment', `${release}-gateway`));
    assert.deepEqual(gateway.get('PUBLIC_ORIGINS')?.split(',').sort(), [
      'http://files.example.org',
      'https://files.example.com',
    ]);
  });

  test('when HashiCorp’s Consul chart is installed with deploy/helm/consul-values.yaml, then it is where the chart looks, and its checks show the certificate the chart names for consul', async () => {
    const values = parse(
      await readFile(join(repoRoot, 'deploy/helm/consul-values.yaml'), 'utf8'),
    ) as {
      global: { name: string; image: string; acls: { manageSystemACLs: boolean } };
      server: { extraVolumes: Array<{ type: string; name: string }>; extraConfig: string };
      dns: { enabled: boolean };
    };
    const ours = parse(await readFile(join(chart, 'values.yaml'), 'utf8')) as {
      consul: { address: string; dns: string; acl: { managementToken: { secretName: string } } };
    };
    const name = values.global.name;
    assert.equal(values.global.image, compose.services.consul?.image);
    assert.equal(ours.consul.address, `${name}-server-0.${name}-server:8500`);
    assert.equal(ours.consul.dns, `${name}-dns:53`);
    assert.equal(values.dns.enabled, true);
    assert.equal(values.global.acls.manageSystemACLs, true);
    assert.equal(ours.consul.acl.managementToken.secretName, `${name}-bootstrap-acl-token`);
    const secret = `${release}-consul-tls`;
    assert.deepEqual(values.server.extraVolumes, [{ type: 'secret', name: secret }]);
    const config = JSON.parse(values.server.extraConfig) as {
      enable_agent_tls_for_checks: boolean;
      tls: { internal_rpc: Record<string, string> };
    };
    assert.equal(config.enable_agent_tls_for_checks, true);
    assert.deepEqual(config.tls.internal_rpc, {
      ca_file: `/consul/userconfig/${secret}/ca.crt`,
      cert_file: `/consul/userconfig/${secret}/tls.crt`,
      key_file: `/consul/userconfig/${secret}/tls.key`,
    });
  });
});

describe('scripts/probe-ready.mjs as the liveness probe (path /health)', () => {
  let server: Server;
  let port: number;
  let answer = 200;
  const asked: Array<{ path: string; client: string | undefined }> = [];

  before(async () => {
    const files = tls.files;
    assert.ok(files);
    server = createServer(files.server, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      asked.push({ path: req.url ?? '', client: peer.subjectaltname });
      res.statusCode = req.url === '/health' ? answer : 404;
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => server?.close());

  async function probe(target: number): Promise<number> {
    const script = join(repoRoot, 'scripts/probe-ready.mjs');
    try {
      await promisify(execFile)(process.execPath, [script, String(target), 'files', '/health'], {
        env: { ...process.env, INTERNAL_TLS_DIR: tls.files?.dir },
        timeout: 10_000,
      });
      return 0;
    } catch (error) {
      return (error as { code?: number }).code ?? -1;
    }
  }

  test('when a subgraph answers GET /health with 200 over internal TLS, then the probe passes, having shown the instance’s own certificate', async () => {
    answer = 200;
    assert.equal(await probe(port), 0);
    assert.deepEqual(asked.at(-1), { path: '/health', client: 'DNS:files' });
  });

  test('when the subgraph answers otherwise or not at all, then the probe fails', async () => {
    answer = 503;
    assert.equal(await probe(port), 1);
    const closed = createServer(tls.files?.server ?? {});
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const unused = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    assert.equal(await probe(unused), 1);
  });
});
