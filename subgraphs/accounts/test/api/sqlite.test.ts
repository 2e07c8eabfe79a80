import { join } from 'node:path';
import { tempDir } from '@filegraph/testing/temp';
import { accountsApiSuite } from './accountsApiSuite.ts';

accountsApiSuite('SQLite', async () => {
  const data = await tempDir('accounts-api-sqlite');
  let stores = 0;
  return {
    newStore: async () => ({
      ACCOUNTS_STORE: 'sqlite',
      DATA_DIR: join(data.path, `store-${(stores += 1)}`),
    }),
    stop: () => data.remove(),
  };
});
