import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createLogger } from '@filegraph/shared/logger';
import { startPostgres } from '@filegraph/processes/postgres';
import { eventually } from '@filegraph/testing/eventually';
import { tempDir } from '@filegraph/testing/temp';
import { PostgresCatalogue } from '../../src/catalogue/postgres/PostgresCatalogue.ts';
import { newKey } from '../../src/storage/keys.ts';
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

describe('a new PostgreSQL catalogue', () => {
  let data: Awaited<ReturnType<typeof tempDir>>;
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  let catalogue: PostgresCatalogue;
  let db: pg.Client;

  before(async () => {
    data = await tempDir('catalogue-postgres-new');
    postgres = await startPostgres(data.path);
    catalogue = new PostgresCatalogue(
      { url: new URL(postgres.url), poolSize: 4, timeoutMs: 5_000, keepReplacedMs },
      createLogger({ level: 'info', format: 'silent' }),
    );
    await catalogue.open();
    db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
  });
  after(async () => {
    await db?.end();
    await catalogue?.close();
    await postgres?.stop();
    await data?.remove();
  });

  /** How PostgreSQL would look an owner's name up now. */
  const planOfLookup = async (owner: string) =>
    (
      await db.query<{ 'QUERY PLAN': string }>(
        'EXPLAIN SELECT id FROM files WHERE owner = $1 AND deleted_at IS NULL AND name = ANY($2::text[])',
        [owner, ['f/file-00042.txt']],
      )
    ).rows
      .map((row) => row['QUERY PLAN'])
      .join('\n');

  it('when its first thousand files are committed, then it has statistics, and a name is looked up by the name index before autovacuum comes by', async () => {
    const owner = randomUUID();
    for (let start = 0; start < 1_000; start += 100) {
      const writes = Array.from({ length: 100 }, (_, index) => {
        const key = newKey();
        return {
          target: { mode: 'create', name: `f/file-${String(start + index).padStart(5, '0')}.txt` },
          written: { key, size: 1, checksum: `sum-${key}`, contentType: 'text/plain' },
        } as const;
      });
      await catalogue.intend(writes.map(({ written }) => written.key));
      await catalogue.commit(owner, writes);
    }
    await eventually(
      'files analyzed',
      async () => {
        const { rows } = await db.query<{ analyzed: boolean }>(
          `SELECT last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname = 'files'`,
        );
        return rows[0]?.analyzed === true ? true : undefined;
      },
      10_000,
      100,
    );
    assert.match(await planOfLookup(owner), /files_live_name/);
  });
});
