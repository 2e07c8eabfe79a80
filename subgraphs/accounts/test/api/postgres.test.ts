import { postgresUrl, startPostgres } from '@filegraph/processes/postgres';
import { tempDir } from '@filegraph/testing/temp';
import { accountsApiSuite } from './accountsApiSuite.ts';

accountsApiSuite('PostgreSQL', async () => {
  const data = await tempDir('accounts-api-postgres');
  const postgres = await startPostgres(data.path);
  let databases = 0;
  return {
    async newStore() {
      const name = `accounts_api_${(databases += 1)}`;
      await postgres.query(`CREATE DATABASE ${name}`);
      return {
        ACCOUNTS_STORE: 'postgres',
        DATABASE_URL: postgresUrl(postgres.port, postgres.password, name),
      };
    },
    async stop() {
      await postgres.stop();
      await data.remove();
    },
  };
});
