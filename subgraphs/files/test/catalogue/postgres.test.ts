import { createLogger } from '@filegraph/shared/logger';
import { startPostgres } from '@filegraph/processes/postgres';
import { tempDir } from '@filegraph/testing/temp';
import { PostgresCatalogue } from '../../src/catalogue/postgres/PostgresCatalogue.ts';
import { catalogueSuite, keepReplacedMs } from './catalogueSuite.ts';

catalogueSuite('PostgreSQL', async () => {
  const data = await tempDir('catalogue-postgres');
  const postgres = await startPostgres(data.path);
  const catalogue = new PostgresCatalogue(
    { url: new URL(postgres.url), poolSize: 10, timeoutMs: 5_000, keepReplacedMs },
    createLogger({ level: 'info', format: 'silent' }),
  );
  await catalogue.open();
  return {
    catalogue,
    async stop() {
      await catalogue.close();
      await postgres.stop();
      await data.remove();
    },
  };
});
