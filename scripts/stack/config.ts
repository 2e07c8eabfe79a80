import {
  kinds,
  optional,
  readConfig,
  setting,
  type ConfigOf,
  type Env,
  type Kind,
} from '@filegraph/shared/config';
import { healthDetailsSettings, serviceSettings } from '@filegraph/shared/settings';

/** Alertmanager's `to`: one address, checked here rather than by a failed email later. */
const emailAddress: Kind<string> = {
  expected: 'one email address, name@host',
  parse: (raw) => (/^[^\s@,<>]+@[^\s@,<>]+$/.test(raw) ? raw : undefined),
};

/** What `npm run stack` reads; the services it starts read their own settings too. */
export const stackSettings = {
  host: serviceSettings(4000).host,
  port: serviceSettings(4000).port,
  dataDir: setting(
    'DATA_DIR',
    'Folder for MinIO’s and PostgreSQL’s data (under minio/ and postgres/: the catalogue and the accounts), the internal CA and certificates (tls/, made once), and the Consul ACL tokens made at each start (consul/, yours only: it holds the management token)',
    kinds.text(),
    './data',
  ),
  replicas: setting(
    'FILES_REPLICAS',
    'How many files subgraph replicas the stack runs',
    kinds.integer(1, 10),
    '2',
  ),
  accountsReplicas: setting(
    'ACCOUNTS_REPLICAS',
    'How many accounts subgraph replicas the stack runs',
    kinds.integer(1, 10),
    '2',
  ),
  adminEmail: optional(
    'ADMIN_EMAIL',
    'The first admin, made when there are no accounts yet (with ADMIN_PASSWORD); unset: the accounts service logs a one-time setup code and the web UI asks for it',
    kinds.text(),
  ),
  adminPassword: optional(
    'ADMIN_PASSWORD',
    'The first admin’s password (8 to 256 characters)',
    kinds.text(),
    { secret: true },
  ),
  signup: setting(
    'SIGNUP',
    'open: anyone who reaches the UI may make themselves a member account; closed: admins make accounts',
    kinds.oneOf(['open', 'closed']),
    'closed',
  ),
  minioUser: setting(
    'MINIO_ROOT_USER',
    'MinIO root user; the files replicas sign in as their own user instead, limited to the bucket, with a password made for each run',
    kinds.text(),
    'filegraph',
  ),
  minioPassword: setting(
    'MINIO_ROOT_PASSWORD',
    'MinIO root password; set your own',
    kinds.text(),
    'filegraph-change-me',
    { secret: true },
  ),
  postgresPassword: setting(
    'POSTGRES_PASSWORD',
    'PostgreSQL password of the filegraph role (PostgreSQL and the files replicas); set your own before the first start: the cluster keeps the one it was made with',
    kinds.text(),
    'filegraph-change-me',
    { secret: true },
  ),
  internalTls: setting(
    'INTERNAL_TLS',
    'Every hop between the services is TLS both ways with a private CA made under DATA_DIR/tls (as compose does); 0: plain HTTP inside (behind a service mesh that does it, or to measure what TLS costs)',
    kinds.boolean(),
    '1',
  ),
  ops: setting(
    'OPS',
    'Also run the operations stack (issue 17, ops/): VictoriaLogs, Prometheus, Alertmanager and Mailpit on 127.0.0.1, their data under DATA_DIR/ops; `npm run stack -- --ops` sets it',
    kinds.boolean(),
    '0',
  ),
  alertEmail: setting(
    'ALERT_EMAIL',
    'With OPS: who Alertmanager emails the alerts to (they land in Mailpit, whose inbox the stack prints)',
    emailAddress,
    'admin@filegraph.localhost',
  ),
  logsUrl: optional(
    'LOGS_URL',
    'A VictoriaLogs every service ships its log lines to as well; unset: none, or with OPS the one the stack starts',
    kinds.url(),
  ),
  logsSyslog: optional(
    'LOGS_SYSLOG',
    "Where HAProxy sends its log lines as well: a syslog UDP listener, host:port (VictoriaLogs's -syslog.listenAddr.udp); unset: none, or with OPS the stack's VictoriaLogs",
    {
      expected: 'host:port, e.g. 127.0.0.1:5514',
      parse: (raw) => (/^[\w.-]+:\d{1,5}$/.test(raw) ? raw : undefined),
    },
  ),
  // Given to health and the gateway alike; off unless you set it, as in compose.
  ...healthDetailsSettings,
  logLevel: serviceSettings(4000).logLevel,
  logFormat: serviceSettings(4000).logFormat,
};

export type StackConfig = ConfigOf<typeof stackSettings>;

export function loadStackConfig(overrides: Env = {}): StackConfig {
  return readConfig(stackSettings, { ...process.env, ...overrides });
}
