import { kinds, readConfig, setting, type ConfigOf, type Env } from '@filegraph/shared/config';
import {
  serviceSettings,
  staticSubgraphSettings,
  registrationSettings,
  routerSettings,
  healthDetailsSettings,
} from '@filegraph/shared/settings';
import { identitySettings } from '@filegraph/shared/identitySettings';
import { internalTlsSettings } from '@filegraph/shared/tls';

export const healthSettings = {
  ...serviceSettings(4002),
  ...staticSubgraphSettings,
  ...registrationSettings,
  ...routerSettings,
  ...healthDetailsSettings,
  ...internalTlsSettings,
  ...identitySettings,
  checkTimeout: setting(
    'CHECK_TIMEOUT',
    'How long one health check may take',
    kinds.duration(),
    '2s',
  ),
};

export type HealthConfig = ConfigOf<typeof healthSettings>;

/** Reads the health subgraph's settings from the environment (plus overrides) once. */
export function loadHealthConfig(overrides: Env = {}): HealthConfig {
  return readConfig(healthSettings, { ...process.env, ...overrides });
}
