import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { Logger } from '@filegraph/shared/logger';
import { minioBinary } from '@filegraph/processes/minio';
import { freePort } from '@filegraph/processes/ports';
import {
  ensureDatabase,
  initCluster,
  postgresRole,
  postgresUrl,
  postmaster,
  postmasterReady,
} from '@filegraph/processes/postgres';
import { logRecord, type ManagedProcess } from '@filegraph/processes/processes';
import { root } from '@filegraph/processes/root';
import type { StackConfig } from './config.ts';
import {
  consulNode,
  createConsulTokens,
  newConsulTokens,
  writeConsulAcl,
  type ConsulTokens,
} from './consulTokens.ts';
import { createFilesUser } from './minioUsers.ts';
import { opsServices, type OpsServices } from './opsServices.ts';
import { loadInternalTls, type InternalTls } from '@filegraph/shared/tls';
import { makeCerts } from '@filegraph/processes/tls';
import { Supervised } from './Supervised.ts';

export interface Stack {
  /** The gateway: the one public origin. */
  readonly url: string;
  readonly consul: Supervised;
  readonly minio: Supervised;
  readonly postgres: Supervised;
  readonly haproxy: Supervised;
  readonly files: readonly Supervised[];
  readonly health: Supervised;
  /** Accounts (users, sessions, tokens) in the same PostgreSQL as the catalogue. */
  readonly accounts: readonly Supervised[];
  readonly gateway: Supervised;
  /** With OPS (`npm run stack -- --ops`): VictoriaLogs, Prometheus, Alertmanager, Mailpit and where they are. */
  readonly ops: OpsServices | undefined;
  /**
   * What each files replica is started with beyond the basics (port, logs,
   * Consul): its storage and catalogue, secrets included. To start one more
   * by hand, as the bench does to time a replica's start.
   */
  readonly filesEnv: Readonly<Record<string, string>>;
  /** What every service of this run signs or checks identities with (IDENTITY_SECRET). */
  readonly identitySecret: string;
  /**
   * This run's Consul ACL tokens (default deny): each process got only its
   * own; tests and operators read Consul with `management` or `dns`.
   */
  readonly consulTokens: ConsulTokens;
  /** Where things are on 127.0.0.1, for tests and people. */
  readonly addresses: {
    consulHttp: string;
    consulDns: string;
    minio: string;
    /** Without the password. */
    postgres: string;
    router: string;
    stats: string;
  };
  /**
   * `service`'s certificates (INTERNAL_TLS), to call the replicas or the
   * router as that service does: `request(url, { agent: stack.tlsAs('gateway')?.agentFor('files') })`.
   * Undefined when the stack runs without internal TLS.
   */
  tlsAs(service: string): InternalTls | undefined;
  /** Stops everything, the gateway first and Consul last; no process is left. */
  stop(): Promise<void>;
}

/** For a real Consul: HTTPS checks with its certificate, as compose's consul/agent.hcl. */
async function writeCheckTls(certificates: string): Promise<string> {
  const path = join(certificates, 'agent-tls.json');
  const file = (name: string) => join(certificates, name);
  await writeFile(
    path,
    JSON.stringify({
      enable_agent_tls_for_checks: true,
      tls: {
        internal_rpc: {
          ca_file: file('ca.crt'),
          cert_file: file('tls.crt'),
          key_file: file('tls.key'),
        },
      },
    }),
  );
  return path;
}

/** Polls an HTTP endpoint until it answers 2xx. */
async function answers(url: string, what: ManagedProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (what.child.exitCode !== null)
      throw new Error(`${what.name} exited before it was ready:\n${what.output().slice(-2000)}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline)
      throw new Error(`${what.name} not ready within ${timeoutMs} ms (${url})`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Waits for one of our services to log that it is ready; returns the URL it logged. */
async function loggedReady(process: ManagedProcess): Promise<string> {
  const line = await process.waitFor((l) => logRecord(l)?.msg === 'ready', 60_000);
  return String(logRecord(line)?.url);
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/**
 * The distributed topology of compose.yaml as processes on 127.0.0.1: Consul
 * (a real `consul agent -dev` when one is installed, else the test double
 * serving its HTTP API and DNS; either with ACLs, default deny, and tokens
 * made for this run: consulTokens.ts), real MinIO, real PostgreSQL (the
 * files catalogue and the accounts; its cluster made once under DATA_DIR/postgres), real HAProxy
 * with haproxy/haproxy.cfg, `replicas` files subgraphs, accounts replicas, health and the gateway.
 * Same environment names as compose; internal ports are picked free, the
 * gateway takes HOST:PORT. Each process restarts when it dies.
 */
export async function startStack(config: StackConfig, logger: Logger): Promise<Stack> {
  const [consulHttpPort, consulDnsPort, minioPort, consolePort, routerPort, statsPort] =
    await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const postgresPort = await freePort();
  const consulHttp = `127.0.0.1:${consulHttpPort}`;
  const consulDns = `127.0.0.1:${consulDnsPort}`;
  const node = process.execPath;
  // Services run on this Node, through the launcher that tunes their memory.
  const path = `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`;
  const nodeService = join(root, 'scripts/node-service');
  const minioData = resolve(config.dataDir, 'minio');
  await mkdir(minioData, { recursive: true });
  const postgresData = resolve(config.dataDir, 'postgres');
  // Once: later starts find the cluster and keep its data (and password).
  await initCluster(postgresData, config.postgresPassword);
  const tokens = newConsulTokens();
  const consulAcl = await writeConsulAcl(resolve(config.dataDir, 'consul'), tokens);
  // Internal TLS, as compose's certs service makes it: one CA (kept with the
  // data), a certificate per service; <tls>/<service> is its INTERNAL_TLS_DIR.
  const tlsDir = resolve(config.dataDir, 'tls');
  // Prometheus scrapes the subgraphs with its own certificate; without
  // internal TLS it scrapes over HTTP, but its configuration names the files all the same.
  const opsCertificate = config.ops ? ['prometheus'] : [];
  if (config.internalTls)
    await makeCerts(tlsDir, [
      ...['consul', 'haproxy', 'gateway', 'files', 'health', 'accounts'],
      ...opsCertificate,
    ]);
  else if (config.ops) await makeCerts(tlsDir, opsCertificate);
  const ops = config.ops
    ? await opsServices(
        config,
        {
          consulHttp,
          consulToken: tokens.prometheus,
          haproxyStats: `127.0.0.1:${statsPort}`,
          minio: `127.0.0.1:${minioPort}`,
          tlsDir: join(tlsDir, 'prometheus'),
        },
        logger,
      )
    : undefined;
  // Where the logs go: the stack's own VictoriaLogs with OPS, else one the config names, if any.
  const logsEnv: {
    readonly LOGS_URL?: string | undefined;
    readonly LOGS_SYSLOG?: string | undefined;
  } = ops?.logsEnv ?? { LOGS_URL: config.logsUrl?.href, LOGS_SYSLOG: config.logsSyslog };
  const certificates = new Map<string, InternalTls>();
  const tlsOf = (service: string): Record<string, string> =>
    config.internalTls ? { INTERNAL_TLS_DIR: join(tlsDir, service) } : {};

  const started: Supervised[] = [];
  const start = async (service: Supervised) => {
    started.push(service);
    await service.start();
    return service;
  };
  const stop = async () => {
    for (const service of started) service.retire();
    for (const service of [...started].reverse()) await service.stop();
  };

  // Like compose's consul/haproxy-service.hcl: the router is in Consul whenever
  // both run, registered again when Consul starts empty, and only once HAProxy
  // answers, so its check starts passing rather than failing on a port not yet open.
  let routerUp = false;
  const registerRouter = async () => {
    const response = await fetch(`http://${consulHttp}/v1/agent/service/register`, {
      method: 'PUT',
      headers: { 'X-Consul-Token': tokens.haproxy },
      body: JSON.stringify({
        ID: 'haproxy',
        Name: 'haproxy',
        Address: '127.0.0.1',
        Port: routerPort,
        // Where health reads which replicas the router actually sends requests to.
        Meta: { stats_csv: `http://127.0.0.1:${statsPort}/stats;csv` },
        Check: {
          HTTP: `http://127.0.0.1:${statsPort}/healthz`,
          Interval: '2s',
          Timeout: '1s',
          Status: 'passing',
        },
      }),
    });
    if (!response.ok)
      throw new Error(`Consul refused the router's registration (HTTP ${response.status})`);
  };
  const realConsul = onPath('consul');
  const consul = new Supervised({
    name: 'consul',
    command: realConsul ? 'consul' : node,
    args: realConsul
      ? [
          'agent',
          '-dev',
          '-bind=127.0.0.1',
          '-client=127.0.0.1',
          `-http-port=${consulHttpPort}`,
          `-dns-port=${consulDnsPort}`,
          '-grpc-port=-1',
          // Best effort, untested here (no machine here runs Consul): ACLs as in
          // compose's consul/agent.hcl, the tokens created after every start.
          `-node=${consulNode}`,
          `-config-file=${consulAcl.agent}`,
          ...(config.internalTls
            ? [`-config-file=${await writeCheckTls(join(tlsDir, 'consul'))}`]
            : []),
        ]
      : [
          join(root, 'scripts/stack/consulDouble.ts'),
          String(consulHttpPort),
          String(consulDnsPort),
          consulAcl.double,
          ...(config.internalTls ? [join(tlsDir, 'consul')] : []),
        ],
    env: { PATH: path },
    ready: (process) => answers(`http://${consulHttp}/v1/status/leader`, process),
    afterReady: async () => {
      if (realConsul) await createConsulTokens(consulHttp, tokens);
      if (routerUp) await registerRouter();
    },
    logger,
  });
  // A new password each run: the user is created again (with it) whenever MinIO starts.
  const filesUser = { user: 'filegraph-files', password: randomBytes(24).toString('base64url') };
  const minioEnv = {
    MINIO_ROOT_USER: config.minioUser,
    MINIO_ROOT_PASSWORD: config.minioPassword,
    MINIO_BROWSER: 'off',
    MINIO_UPDATE: 'off',
  };
  const minio = new Supervised({
    name: 'minio',
    command: minioBinary(),
    args: [
      'server',
      minioData,
      '--address',
      `127.0.0.1:${minioPort}`,
      '--console-address',
      `127.0.0.1:${consolePort}`,
      '--quiet',
    ],
    env: minioEnv,
    ready: (process) => answers(`http://127.0.0.1:${minioPort}/minio/health/cluster`, process),
    // The files replicas' own user, limited to their bucket (minio/files-user.sh).
    afterReady: () =>
      createFilesUser({
        url: `http://127.0.0.1:${minioPort}`,
        root: { user: config.minioUser, password: config.minioPassword },
        files: filesUser,
        bucket: 'filegraph',
        configDir: join(resolve(config.dataDir), 'mc'),
      }),
    logger,
  });
  const postgres = new Supervised({
    name: 'postgres',
    ...postmaster(postgresData, postgresPort, { durable: true }),
    env: {},
    ready: async (process) => {
      await process.waitFor(postmasterReady, 60_000);
      await ensureDatabase(postgresPort, config.postgresPassword);
    },
    logger,
  });
  const haproxy = new Supervised({
    name: 'haproxy',
    command: 'haproxy',
    args: ['-db', '-f', join(root, 'haproxy/haproxy.cfg')],
    env: {
      ROUTER_BIND: `127.0.0.1:${routerPort}`,
      STATS_BIND: `127.0.0.1:${statsPort}`,
      CONSUL_DNS: consulDns,
      ...tlsOf('haproxy'),
      ...(logsEnv.LOGS_SYSLOG && { LOGS_SYSLOG: logsEnv.LOGS_SYSLOG }),
    },
    ready: (process) => answers(`http://127.0.0.1:${statsPort}/healthz`, process),
    afterReady: async () => {
      routerUp = true;
      await registerRouter();
    },
    logger,
  });
  const consulEnv = {
    CONSUL_HTTP_ADDR: consulHttp,
    CONSUL_CHECK_INTERVAL: '1s',
    CONSUL_DEREGISTER_AFTER: '1m',
  };
  // New each run: every process that signs or checks identities is started by this run.
  const identitySecret = randomBytes(32).toString('base64url');
  const serviceEnv = {
    PATH: path,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_FORMAT: 'json',
    IDENTITY_SECRET: identitySecret,
    ...consulEnv,
    // Every line to VictoriaLogs as well, when there is one (with OPS, started before the services).
    ...(logsEnv.LOGS_URL && { LOGS_URL: logsEnv.LOGS_URL }),
  };
  const healthDetails = { HEALTH_DETAILS: config.healthDetails ? '1' : '0' };
  const filesEnv = {
    IDENTITY_SECRET: identitySecret,
    STORAGE: 'minio',
    MINIO_ENDPOINT: `http://127.0.0.1:${minioPort}`,
    MINIO_ACCESS_KEY: filesUser.user,
    MINIO_SECRET_KEY: filesUser.password,
    MINIO_BUCKET: 'filegraph',
    CATALOGUE: 'postgres',
    DATABASE_URL: postgresUrl(postgresPort, config.postgresPassword),
  };
  const files = Array.from(
    { length: config.replicas },
    (_, index) =>
      new Supervised({
        name: `files-${index + 1}`,
        command: nodeService,
        args: [join(root, 'subgraphs/files/src/main.ts')],
        env: { ...serviceEnv, ...filesEnv, ...tlsOf('files'), CONSUL_HTTP_TOKEN: tokens.files },
        ready: loggedReady,
        logger,
      }),
  );
  const accounts = Array.from(
    { length: config.accountsReplicas },
    (_, index) =>
      new Supervised({
        name: `accounts-${index + 1}`,
        command: nodeService,
        args: [join(root, 'subgraphs/accounts/src/main.ts')],
        env: {
          ...serviceEnv,
          ...tlsOf('accounts'),
          ACCOUNTS_STORE: 'postgres',
          DATABASE_URL: filesEnv.DATABASE_URL,
          ...(config.adminEmail
            ? { ADMIN_EMAIL: config.adminEmail, ADMIN_PASSWORD: config.adminPassword ?? '' }
            : {}),
          SIGNUP: config.signup,
          CONSUL_HTTP_TOKEN: tokens.accounts,
        },
        ready: loggedReady,
        logger,
      }),
  );
  const health = new Supervised({
    name: 'health',
    command: nodeService,
    args: [join(root, 'subgraphs/health/src/main.ts')],
    env: {
      ...serviceEnv,
      ...healthDetails,
      ...tlsOf('health'),
      SUBGRAPH_ROUTER: 'haproxy',
      CONSUL_HTTP_TOKEN: tokens.health,
    },
    ready: loggedReady,
    logger,
  });
  const gateway = new Supervised({
    name: 'gateway',
    command: nodeService,
    args: [join(root, 'supergraph/src/main.ts')],
    env: {
      ...serviceEnv,
      ...healthDetails,
      ...tlsOf('gateway'),
      HOST: config.host,
      PORT: String(config.port),
      SUBGRAPH_ROUTER: 'haproxy',
      CONSUL_HTTP_TOKEN: tokens.gateway,
    },
    ready: loggedReady,
    logger,
  });

  try {
    await Promise.all([consul, ...(ops ? [ops.victoriaLogs] : [])].map(start));
    await Promise.all(
      [minio, postgres, ...(ops ? [ops.mailpit, ops.alertmanager] : [])].map(start),
    );
    await start(haproxy);
    await Promise.all([...files, ...accounts, health].map(start));
    await start(gateway);
    // Last: started earlier, it would count the services still starting as
    // missing (ServiceWithoutHealthyInstance) and email about it.
    if (ops) await start(ops.prometheus);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: (gateway.url ?? '').replace(/\/$/, ''),
    consul,
    minio,
    postgres,
    haproxy,
    files,
    health,
    accounts,
    gateway,
    ops,
    filesEnv,
    identitySecret,
    consulTokens: tokens,
    addresses: {
      consulHttp,
      consulDns,
      minio: `http://127.0.0.1:${minioPort}`,
      postgres: `postgres://${postgresRole}@127.0.0.1:${postgresPort}/${postgresRole}`,
      router: `${config.internalTls ? 'https' : 'http'}://127.0.0.1:${routerPort}`,
      stats: `http://127.0.0.1:${statsPort}/stats`,
    },
    tlsAs: (service) => {
      if (!config.internalTls) return undefined;
      const loaded = certificates.get(service) ?? loadInternalTls(join(tlsDir, service));
      certificates.set(service, loaded);
      return loaded;
    },
    stop,
  };
}
