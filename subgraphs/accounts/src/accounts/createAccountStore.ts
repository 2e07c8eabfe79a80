import { join, resolve } from 'node:path';
import type { Logger } from '@filegraph/shared/logger';
import type { AccountsConfig } from '../config.ts';
import type { AccountStore } from './AccountStore.ts';
import { SqliteAccountStore } from './sqlite/SqliteAccountStore.ts';

/** The configured store. node-postgres is loaded only when used. */
export async function createAccountStore(
  config: AccountsConfig,
  logger: Logger,
): Promise<AccountStore> {
  const log = logger.child({ store: config.store });
  if (config.store === 'sqlite')
    return new SqliteAccountStore(join(resolve(config.dataDir), 'accounts.db'), log);
  const { PostgresAccountStore } = await import('./postgres/PostgresAccountStore.ts');
  return new PostgresAccountStore(
    {
      url: config.databaseUrl as URL,
      poolSize: config.databasePoolSize,
      timeoutMs: config.databaseTimeout,
    },
    log,
  );
}
