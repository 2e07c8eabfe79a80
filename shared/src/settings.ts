import { kinds, optional, setting } from './config.ts';
import { logFormats, logLevels } from './logger.ts';

/** Settings every service has; only the default port differs. */
export function serviceSettings(defaultPort: number) {
  return {
    host: setting(
      'HOST',
      'Address to listen on; 127.0.0.1 keeps the service private to this machine, 0.0.0.0 exposes it (containers)',
      kinds.text(),
      '127.0.0.1',
    ),
    port: setting(
      'PORT',
      'TCP port to listen on (0 picks a free one)',
      kinds.port(),
      String(defaultPort),
    ),
    logLevel: setting('LOG_LEVEL', 'Lowest level logged', kinds.oneOf(logLevels), 'info'),
    logFormat: setting(
      'LOG_FORMAT',
      'json (one object a line), pretty (for people), silent, or auto: pretty on a terminal, else json',
      kinds.oneOf(logFormats),
      'auto',
    ),
    logsUrl: optional(
      'LOGS_URL',
      'VictoriaLogs to ship every log line to as well (its JSON lines API), e.g. http://127.0.0.1:9428; batched, never waited for: lines it cannot take are dropped and counted in filegraph_log_lines_dropped_total; unset: stdout only',
      kinds.url(),
    ),
    requestTimeout: setting(
      'REQUEST_TIMEOUT',
      'Longest a client may take to send one whole request, body included; a large upload over a slow link needs all of it',
      kinds.duration(),
      '1h',
    ),
  };
}

/** Upload limits, enforced by the gateway and again by the files subgraph. */
export const uploadSettings = {
  maxFileSize: setting(
    'MAX_FILE_SIZE',
    'Largest file one upload may carry',
    kinds.bytes(1),
    '1GiB',
  ),
  maxFiles: setting(
    'MAX_FILES',
    'Most files one upload request may carry',
    kinds.integer(1, 10_000),
    '100',
  ),
  uploadIdleTimeout: setting(
    'UPLOAD_IDLE_TIMEOUT',
    "An upload that makes no progress for this long (no byte arrives, or a part's headers trickle in) is abandoned with 408 and nothing of it is kept",
    kinds.duration(100),
    '30s',
  ),
};

/** Where the subgraphs are when Consul is not used (the embedded default). */
export const staticSubgraphSettings = {
  subgraphs: setting(
    'SUBGRAPHS',
    'Subgraphs to compose and check when Consul is not used: name=url pairs, comma-separated',
    kinds.namedUrls(),
    'files=http://127.0.0.1:4001/graphql,health=http://127.0.0.1:4002/graphql,accounts=http://127.0.0.1:4003/graphql',
  ),
};

/** Consul: subgraphs register there; the gateway and health discover them there. */
export const consulSettings = {
  consulHttpAddr: optional(
    'CONSUL_HTTP_ADDR',
    'Consul agent HTTP address; unset: no Consul (static SUBGRAPHS, the embedded default)',
    kinds.httpAddress(),
  ),
  consulHttpToken: optional(
    'CONSUL_HTTP_TOKEN',
    "ACL token sent with every Consul request (X-Consul-Token): this service's own, allowed to register its own name and read the rest; unset: Consul's anonymous token, which default deny refuses",
    kinds.text(),
    { secret: true },
  ),
};

/** The router in front of subgraph replicas, which the gateway uses and health reports. */
export const routerSettings = {
  subgraphRouter: optional(
    'SUBGRAPH_ROUTER',
    'Consul service that routes to subgraph replicas (HAProxy); unset: the gateway calls instances directly',
    kinds.text(),
  ),
};

/** How much the health endpoints tell whoever reaches them (issue 19); the gateway and health read it. */
export const healthDetailsSettings = {
  healthDetails: setting(
    'HEALTH_DETAILS',
    "Show internal details in the health query and the gateway's /health and /ready (addresses, instance ids, host names, host and process figures, error texts); off: names and statuses only, but for admins, who always see them",
    kinds.boolean(),
    '0',
  ),
};

/** How a subgraph instance registers itself in Consul. */
export const registrationSettings = {
  ...consulSettings,
  serviceAddress: optional(
    'SERVICE_ADDRESS',
    'Address other services reach this instance at, as registered in Consul (default: the host name)',
    kinds.text(),
  ),
  checkInterval: setting(
    'CONSUL_CHECK_INTERVAL',
    'How often Consul checks this instance',
    kinds.duration(),
    '5s',
  ),
  deregisterAfter: setting(
    'CONSUL_DEREGISTER_AFTER',
    'Consul drops an instance that has been failing its check this long',
    kinds.duration(),
    '1m',
  ),
  shutdownDelay: setting(
    'SHUTDOWN_DELAY',
    'On SIGTERM, after deregistering, keep serving this long so routers stop sending requests first',
    kinds.duration(),
    '0s',
  ),
};
