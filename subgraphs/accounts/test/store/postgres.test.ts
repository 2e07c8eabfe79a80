import { createLogger } from '@filegraph/shared/logger';
import { postgresUrl, startPostgres } from '@filegraph/processes/postgres';
import { tempDir } from '@filegraph/testing/temp';
import { PostgresAccountStore } from '../../src/accounts/postgres/PostgresAccountStore.ts';
import { storeSuite } from './storeSuite.ts';

const silent = createLogger({ level: 'info', format: 'silent' });

storeSuite('PostgreSQL', async () => {
  const data = await tempDir('accounts-postgres');
  const postgres = await startPostgres(data.path);
  let databases = 0;
  return {
    async database() {
      databases += 1;
      const name = `accounts_${databases}`;
      await postgres.query(`CREATE DATABASE ${name}`);
      return postgresUrl(postgres.port, postgres.password, name);
    },
    storeOn: (url) =>
      new PostgresAccountStore({ url: new URL(url), poolSize: 5, timeoutMs: 5_000 }, silent),
    async stop() {
      await postgres.stop();
      await data.remove();
    },
  };
});
