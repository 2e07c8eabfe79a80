import {
  kinds,
  optional,
  readConfig,
  setting,
  type ConfigOf,
  type Env,
} from '@filegraph/shared/config';
import {
  healthDetailsSettings,
  registrationSettings,
  routerSettings,
  serviceSettings,
  staticSubgraphSettings,
  uploadSettings,
} from '@filegraph/shared/settings';
import { internalTlsSettings } from '@filegraph/shared/tls';

export const gatewaySettings = {
  ...serviceSettings(4000),
  ...uploadSettings,
  ...staticSubgraphSettings,
  ...registrationSettings,
  ...routerSettings,
  ...healthDetailsSettings,
  ...internalTlsSettings,
  publicOrigins: setting(
    'PUBLIC_ORIGINS',
    'Origins people reach the gateway by, e.g. https://files.example.com (comma-separated); localhost names are always allowed, other Host headers get 421 (DNS rebinding); /health, /ready and /metrics answer any Host',
    kinds.origins(),
    '',
  ),
  frontendDir: setting(
    'FRONTEND_DIR',
    'Folder of the built web UI, served at /',
    kinds.text(),
    new URL('../../frontend/dist', import.meta.url).pathname,
  ),
  frontendUrl: optional(
    'FRONTEND_URL',
    'Where the web UI is served from instead (compose: the frontend container); the gateway proxies / to it',
    kinds.url(),
  ),
  downloadHandoff: setting(
    'DOWNLOAD_HANDOFF',
    'With MinIO storage, the gateway fetches download bytes straight from MinIO (presigned by the files service) instead of through it; needs the gateway to reach MinIO at MINIO_ENDPOINT',
    kinds.boolean(),
    '1',
  ),
  maxUploadsPerClient: setting(
    'MAX_UPLOADS_PER_CLIENT',
    'Most uploads one client address may have under way at once; more are refused with 429',
    kinds.integer(1, 10_000),
    '32',
  ),
  maxQueryDepth: setting(
    'MAX_QUERY_DEPTH',
    'Deepest nesting of fields a query may have',
    kinds.integer(1, 100),
    '15',
  ),
  maxQueryAliases: setting(
    'MAX_QUERY_ALIASES',
    'Most aliased fields one query may have',
    kinds.integer(0, 1000),
    '30',
  ),
  maxQueryCost: setting(
    'MAX_QUERY_COST',
    'Most fields one query may ask for, with list fields counted `first` times',
    kinds.integer(1, 10_000_000),
    '20000',
  ),
  maxQueryTokens: setting(
    'MAX_QUERY_TOKENS',
    'Most tokens (names, values, punctuation) one query document may have; longer documents are refused before they are validated and planned (above 5000, deeply nested documents can exhaust the stack)',
    kinds.integer(100, 5000),
    '3000',
  ),
  telemetryDisabled: setting(
    'APOLLO_TELEMETRY_DISABLED',
    'Keeps @apollo/gateway from sending Apollo anonymous usage data; on unless set to 0',
    kinds.boolean(),
    '1',
  ),
};

export type GatewayConfig = ConfigOf<typeof gatewaySettings>;

/** Reads the gateway's settings from the environment (plus overrides) once. */
export function loadGatewayConfig(overrides: Env = {}): GatewayConfig {
  const config = readConfig(gatewaySettings, { ...process.env, ...overrides });
  // @apollo/gateway reads this variable itself; here is the one place it is set.
  if (config.telemetryDisabled) process.env.APOLLO_TELEMETRY_DISABLED = '1';
  else delete process.env.APOLLO_TELEMETRY_DISABLED;
  return config;
}
