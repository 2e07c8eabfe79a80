import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '@filegraph/shared/logger';
import { alertmanager, mailpit, prometheus, type OpsProgram } from '@filegraph/processes/ops';
import { freePort } from '@filegraph/processes/ports';
import { victoriaLogs } from '@filegraph/processes/victoriaLogs';
import { prepareOps } from '../../ops/prepare.ts';
import type { StackConfig } from './config.ts';
import { Supervised } from './Supervised.ts';

/** The monitoring half of `npm run stack -- --ops` (issue 17): not started yet. */
export interface OpsServices {
  /** Every service's log lines (LOGS_URL) and HAProxy's (LOGS_SYSLOG). */
  readonly victoriaLogs: Supervised;
  readonly mailpit: Supervised;
  readonly alertmanager: Supervised;
  readonly prometheus: Supervised;
  /** Where an operator looks: the web UIs (and HTTP APIs) on 127.0.0.1. */
  readonly urls: {
    readonly victoriaLogs: string;
    readonly prometheus: string;
    readonly alertmanager: string;
    readonly mailpit: string;
  };
  /** What the services are given to ship their logs: LOGS_URL, and HAProxy's LOGS_SYSLOG. */
  readonly logsEnv: { readonly LOGS_URL: string; readonly LOGS_SYSLOG: string };
}

/** Where the rest of the stack is, as Prometheus must find it. */
export interface OpsTargets {
  readonly consulHttp: string;
  readonly consulToken: string;
  readonly haproxyStats: string;
  readonly minio: string;
  /** The `prometheus` certificate of the stack's internal CA. */
  readonly tlsDir: string;
}

const supervised = (program: OpsProgram, logger: Logger): Supervised =>
  new Supervised({
    name: program.name,
    command: program.command,
    args: program.args,
    env: {},
    ready: async (process) => {
      await process.waitFor(program.ready, 60_000);
      return program.url;
    },
    logger,
  });

/**
 * VictoriaLogs, Prometheus, Alertmanager and Mailpit for the native stack, on free ports
 * of 127.0.0.1, with the configuration compose's ops-config step makes
 * (ops/prepare.ts), filled in for the native addresses: Consul's HTTP API
 * with a read-only token, the subgraphs over the internal TLS, MinIO with
 * its metrics token, email through Mailpit's SMTP. Their data (time series,
 * silences, the inbox) stays under DATA_DIR/ops from run to run.
 */
export async function opsServices(
  config: StackConfig,
  targets: OpsTargets,
  logger: Logger,
): Promise<OpsServices> {
  const [smtpPort, mailpitPort, alertmanagerPort, prometheusPort, logsPort, syslogPort] =
    await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const folder = resolve(config.dataDir, 'ops');
  const data = (name: string) => join(folder, name);
  await Promise.all(
    ['victoria-logs', 'mailpit', 'alertmanager', 'prometheus'].map((name) =>
      mkdir(data(name), { recursive: true }),
    ),
  );
  const files = await prepareOps(data('config'), {
    CONSUL_HTTP_ADDR: targets.consulHttp,
    CONSUL_PROMETHEUS_TOKEN: targets.consulToken,
    HAPROXY_STATS_ADDR: targets.haproxyStats,
    MINIO_ADDR: targets.minio,
    MINIO_ROOT_USER: config.minioUser,
    MINIO_ROOT_PASSWORD: config.minioPassword,
    ALERTMANAGER_ADDR: `127.0.0.1:${alertmanagerPort}`,
    PROMETHEUS_ADDR: `127.0.0.1:${prometheusPort}`,
    SUBGRAPH_SCHEME: config.internalTls ? 'https' : 'http',
    PROMETHEUS_TLS_DIR: targets.tlsDir,
    ALERT_EMAIL: config.alertEmail,
    SMTP_SMARTHOST: `127.0.0.1:${smtpPort}`,
  });
  const programs = {
    victoriaLogs: victoriaLogs({
      httpPort: logsPort,
      syslogPort,
      dataDir: data('victoria-logs'),
    }),
    mailpit: mailpit({ smtpPort, httpPort: mailpitPort, dataDir: data('mailpit') }),
    alertmanager: alertmanager({
      configFile: files.alertmanagerConfig,
      port: alertmanagerPort,
      dataDir: data('alertmanager'),
    }),
    prometheus: prometheus({
      configFile: files.prometheusConfig,
      port: prometheusPort,
      dataDir: data('prometheus'),
    }),
  };
  return {
    victoriaLogs: supervised(programs.victoriaLogs, logger),
    mailpit: supervised(programs.mailpit, logger),
    alertmanager: supervised(programs.alertmanager, logger),
    prometheus: supervised(programs.prometheus, logger),
    urls: {
      victoriaLogs: programs.victoriaLogs.url,
      prometheus: programs.prometheus.url,
      alertmanager: programs.alertmanager.url,
      mailpit: programs.mailpit.url,
    },
    logsEnv: { LOGS_URL: programs.victoriaLogs.url, LOGS_SYSLOG: programs.victoriaLogs.syslog },
  };
}
