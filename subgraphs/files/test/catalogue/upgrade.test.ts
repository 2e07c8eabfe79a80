import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { createLogger } from '@filegraph/shared/logger';
import { startPostgres } from '@filegraph/processes/postgres';
import { tempDir } from '@filegraph/testing/temp';
import { legacyOwner, type Catalogue, type ListQuery } from '../../src/catalogue/Catalogue.ts';
import { PostgresCatalogue } from '../../src/catalogue/postgres/PostgresCatalogue.ts';
import { migrations as postgresMigrations } from '../../src/catalogue/postgres/migrations.ts';
import { SqliteCatalogue } from '../../src/catalogue/sqlite/SqliteCatalogue.ts';
import { migrations as sqliteMigrations } from '../../src/catalogue/sqlite/migrations.ts';
import { newKey } from '../../src/storage/keys.ts';

const silent = createLogger({ level: 'info', format: 'silent' });
const admin = 'ad000000-0000-4000-8000-000000000003';
const member = '0a11ce00-0000-4000-8000-000000000001';
/** Steps shipped before accounts: a catalogue that a release without owners wrote. */
const beforeAccounts = 2;

const everything: ListQuery = {
  prefix: '',
  recursive: true,
  search: undefined,
  order: { field: 'name', descending: false },
  after: undefined,
  limit: 100,
};

/** Rows as the release before accounts wrote them: no owner, folder counts for all. */
const rows = [
  { id: randomUUID(), name: 'notes.txt', parent: '' },
  { id: randomUUID(), name: 'docs/plan.md', parent: 'docs/' },
];
const folders = [
  { path: '', parent: null, files: 2, direct: 1 },
  { path: 'docs/', parent: '', files: 1, direct: 1 },
];

async function expectUpgraded(catalogue: Catalogue): Promise<void> {
  const legacy = await catalogue.list(legacyOwner, everything);
  assert.deepEqual(
    legacy.files.map((f) => f.name),
    ['docs/plan.md', 'notes.txt'],
  );
  assert.equal(legacy.totalCount, 2);
  assert.equal((await catalogue.get(rows[0]?.id ?? ''))?.owner, legacyOwner);
  assert.equal(await catalogue.claimLegacy(admin), 2);
  const claimed = await catalogue.list(admin, everything);
  assert.equal(claimed.totalCount, 2);
  assert.deepEqual(await catalogue.folders(admin, ''), ['docs/']);
  assert.equal((await catalogue.list(member, everything)).totalCount, 0);
}

describe('the catalogue upgraded to accounts', () => {
  it("when a SQLite catalogue from before accounts opens, then its files are the legacy owner's until the first admin claims them", async () => {
    const data = await tempDir('upgrade-sqlite');
    const path = join(data.path, 'catalogue.sqlite');
    const old = new DatabaseSync(path);
    for (const step of sqliteMigrations.slice(0, beforeAccounts)) old.exec(step);
    old.exec(`PRAGMA user_version = ${beforeAccounts}`);
    const now = Date.now();
    for (const row of rows)
      old
        .prepare(
          `INSERT INTO files (id, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
           VALUES (?, ?, ?, ?, 1, 'text/plain', 'sum', ?, ?, ?)`,
        )
        .run(row.id, row.name, row.parent, row.name, newKey(), now, now);
    old.exec('DELETE FROM folders');
    for (const f of folders)
      old
        .prepare('INSERT INTO folders (path, parent, files, direct) VALUES (?, ?, ?, ?)')
        .run(f.path, f.parent, f.files, f.direct);
    old.close();
    const catalogue = new SqliteCatalogue(path, { keepReplacedMs: 1000 }, silent);
    try {
      await catalogue.open();
      await expectUpgraded(catalogue);
    } finally {
      await catalogue.close();
      await data.remove();
    }
  });

  it("when a PostgreSQL catalogue from before accounts opens, then its files are the legacy owner's until the first admin claims them", async () => {
    const data = await tempDir('upgrade-postgres');
    const postgres = await startPostgres(data.path);
    try {
      await postgres.query(
        'CREATE TABLE schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      for (const [index, step] of postgresMigrations.slice(0, beforeAccounts).entries()) {
        await postgres.query(step);
        await postgres.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
      }
      for (const row of rows)
        await postgres.query(
          `INSERT INTO files (id, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
           VALUES ($1, $2, $3, $2, 1, 'text/plain', 'sum', $4, now(), now())`,
          [row.id, row.name, row.parent, newKey()],
        );
      await postgres.query('DELETE FROM folders');
      for (const f of folders)
        await postgres.query(
          'INSERT INTO folders (path, parent, files, direct) VALUES ($1, $2, $3, $4)',
          [f.path, f.parent, f.files, f.direct],
        );
      const catalogue = new PostgresCatalogue(
        { url: new URL(postgres.url), poolSize: 4, timeoutMs: 5_000, keepReplacedMs: 1000 },
        silent,
      );
      try {
        await catalogue.open();
        await expectUpgraded(catalogue);
      } finally {
        await catalogue.close();
      }
    } finally {
      await postgres.stop();
      await data.remove();
    }
  });
});
