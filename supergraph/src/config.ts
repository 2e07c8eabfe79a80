import {
  kinds,
  optional,
  readConfig,
  setting,
  type ConfigOf,
  type Env,
} from '@filegraph/shared/config';
import type { PublicTls } from '@filegraph/shared/service';
import {
  healthDetailsSettings,
  registrationSettings,
  routerSettings,
  serviceSettings,
  staticSubgraphSettings,
  uploadSettings,
} from '@filegraph/shared/settings';
import { identitySettings } from '@filegraph/shared/identitySettings';
import { internalTlsSettings } from '@filegraph/shared/tls';
import { pemCertificate, pemKey, publicTlsOf } from './tls/publicTls.ts';

export const gatewaySettings = {
  ...serviceSettings(4000),
  ...uploadSettings,
  ...staticSubgraphSettings,
  ...registrationSettings,
  ...routerSettings,
  ...healthDetailsSettings,
  ...internalTlsSettings,
  ...identitySettings,
  publicOrigins: setting(
    'PUBLIC_ORIGINS',
    'Origins people reach the gateway by, e.g. https://files.example.com (comma-separated); localhost names are always allowed, other Host headers get 421 (DNS rebinding); /health, /ready and /metrics answer any Host',
    kinds.origins(),
    '',
  ),
  tlsCert: optional(
    'TLS_CERT',
    "PEM file of the certificate browsers see (its chain after it, as certbot's fullchain.pem): with TLS_KEY, PORT speaks HTTPS only and every answer carries Strict-Transport-Security; unset: plain HTTP (a proxy in front may do TLS, see docs/https.md)",
    pemCertificate(),
  ),
  tlsKey: optional(
    'TLS_KEY',
    "PEM file of TLS_CERT's private key, unencrypted; set both or neither",
    pemKey(),
  ),
  httpRedirectPort: optional(
    'HTTP_REDIRECT_PORT',
    'With TLS_CERT and TLS_KEY, a plain-HTTP port (e.g. 80) that answers every request with a redirect (308) to the same path over HTTPS, and serves nothing else; unset: none',
    kinds.port(),
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

export type GatewayConfig = ConfigOf<typeof gatewaySettings> & {
  /** TLS_CERT, TLS_KEY and HTTP_REDIRECT_PORT checked together; undefined: plain HTTP. */
  readonly publicTls: PublicTls | undefined;
};

/** Reads the gateway's settings from the environment (plus overrides) once. */
export function loadGatewayConfig(overrides: Env = {}): GatewayConfig {
  const settings = readConfig(gatewaySettings, { ...process.env, ...overrides });
  const config = { ...settings, publicTls: publicTlsOf(settings) };
  // @apollo/gateway reads this variable itself; here is the one place it is set.
  if (config.telemetryDisabled) process.env.APOLLO_TELEMETRY_DISABLED = '1';
  else delete process.env.APOLLO_TELEMETRY_DISABLED;
  return config;
}
