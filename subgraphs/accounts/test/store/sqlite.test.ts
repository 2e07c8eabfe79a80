import { join } from 'node:path';
import { createLogger } from '@filegraph/shared/logger';
import { tempDir } from '@filegraph/testing/temp';
import { SqliteAccountStore } from '../../src/accounts/sqlite/SqliteAccountStore.ts';
import { storeSuite } from './storeSuite.ts';

const silent = createLogger({ level: 'info', format: 'silent' });

storeSuite('SQLite', async () => {
  const data = await tempDir('accounts-sqlite');
  let databases = 0;
  return {
    database: async () => join(data.path, `accounts-${(databases += 1)}.db`),
    storeOn: (path) => new SqliteAccountStore(path, silent),
    stop: () => data.remove(),
  };
});
