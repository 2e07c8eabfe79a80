import {
  ConfigError,
  kinds,
  optional,
  readConfig,
  setting,
  Unfit,
  type ConfigOf,
  type Env,
  type Kind,
} from '@filegraph/shared/config';
import { identitySettings } from '@filegraph/shared/identitySettings';
import { registrationSettings, serviceSettings } from '@filegraph/shared/settings';
import { internalTlsSettings } from '@filegraph/shared/tls';
import { emailProblem, normalizeEmail } from './accounts/emails.ts';
import { passwordProblem } from '@filegraph/shared/passwords';

/** An email address as accounts keep it: trimmed, lower-case, of a plain shape. */
function emailKind(): Kind<string> {
  return {
    expected: 'an email address, e.g. admin@example.com',
    parse: (raw) => {
      const problem = emailProblem(raw);
      if (problem) throw new Unfit(problem);
      return normalizeEmail(raw);
    },
  };
}

/** A password as every account's must be (NIST 800-63B: length only). */
function passwordKind(): Kind<string> {
  return {
    expected: 'a password of 8 to 256 characters',
    parse: (raw) => {
      const problem = passwordProblem(raw);
      if (problem) throw new Unfit(problem);
      return raw;
    },
  };
}

export const accountsSettings = {
  ...serviceSettings(4003),
  ...registrationSettings,
  ...internalTlsSettings,
  ...identitySettings,
  store: setting(
    'ACCOUNTS_STORE',
    'Where accounts, sessions and API tokens are kept: sqlite (accounts.db under DATA_DIR) or postgres (DATABASE_URL)',
    kinds.oneOf(['sqlite', 'postgres']),
    'sqlite',
  ),
  dataDir: setting(
    'DATA_DIR',
    'Folder for accounts.db when ACCOUNTS_STORE=sqlite',
    kinds.text(),
    './data',
  ),
  databaseUrl: optional(
    'DATABASE_URL',
    "PostgreSQL connection URL when ACCOUNTS_STORE=postgres (the files catalogue's database; accounts' tables are named accounts_*)",
    kinds.url(['postgres:', 'postgresql:']),
    { secret: true },
  ),
  databasePoolSize: setting(
    'DATABASE_POOL_SIZE',
    'Most connections one replica opens to PostgreSQL',
    kinds.integer(1, 100),
    '10',
  ),
  databaseTimeout: setting(
    'DATABASE_TIMEOUT',
    'Longest one statement, or the wait for a connection, may take before the request fails with UNAVAILABLE',
    kinds.duration(100),
    '5s',
  ),
  signup: setting(
    'SIGNUP',
    'closed: only admins create accounts; open: anyone who reaches the API may sign up (as a member)',
    kinds.oneOf(['closed', 'open']),
    'closed',
  ),
  adminEmail: optional(
    'ADMIN_EMAIL',
    'On a start with no account yet, create this admin (with ADMIN_PASSWORD); ignored once any account exists',
    emailKind(),
  ),
  adminPassword: optional(
    'ADMIN_PASSWORD',
    "ADMIN_EMAIL's password (8 to 256 characters); change it after the first sign-in",
    passwordKind(),
    { secret: true },
  ),
  sessionIdleTimeout: setting(
    'SESSION_IDLE_TIMEOUT',
    'A browser session not used for this long ends',
    kinds.duration(1_000),
    '7d',
  ),
  sessionLifetime: setting(
    'SESSION_LIFETIME',
    'A browser session ends this long after its sign-in, used or not',
    kinds.duration(1_000),
    '30d',
  ),
};

export type AccountsConfig = ConfigOf<typeof accountsSettings>;

/** Reads the accounts subgraph's settings from the environment (plus overrides) once. */
export function loadAccountsConfig(overrides: Env = {}): AccountsConfig {
  const config = readConfig(accountsSettings, { ...process.env, ...overrides });
  const problems: string[] = [];
  if (config.store === 'postgres' && !config.databaseUrl)
    problems.push('DATABASE_URL is required when ACCOUNTS_STORE=postgres');
  if (config.adminEmail && !config.adminPassword)
    problems.push('ADMIN_PASSWORD is required with ADMIN_EMAIL');
  if (config.adminPassword && !config.adminEmail)
    problems.push('ADMIN_EMAIL is required with ADMIN_PASSWORD');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
