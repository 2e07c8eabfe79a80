import { join } from 'node:path';
import { createLogger } from '@filegraph/shared/logger';
import { tempDir } from '@filegraph/testing/temp';
import { SqliteCatalogue } from '../../src/catalogue/sqlite/SqliteCatalogue.ts';
import { catalogueSuite, keepReplacedMs } from './catalogueSuite.ts';

catalogueSuite('SQLite', async () => {
  const data = await tempDir('catalogue-sqlite');
  const catalogue = new SqliteCatalogue(
    join(data.path, 'catalogue.sqlite'),
    { keepReplacedMs },
    createLogger({ level: 'info', format: 'silent' }),
  );
  await catalogue.open();
  return {
    catalogue,
    async stop() {
      await catalogue.close();
      await data.remove();
    },
  };
});
