import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { FilesClient } from '@filegraph/testing/filesClient';
import { signedAs, testCallers } from '@filegraph/testing/identity';
import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { migrations } from '../src/catalogue/sqlite/migrations.ts';
import { newKey } from '../src/storage/keys.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A data folder written by the release before accounts (issue 16): its
 * catalogue has the schema of the steps shipped then (no owners) and its
 * files' bytes are under their keys. The new code takes it as it is.
 */
async function dataFromBeforeAccounts(path: string, files: Record<string, string>): Promise<void> {
  const db = new DatabaseSync(join(path, 'catalogue.sqlite'));
  for (const step of migrations.slice(0, 2)) db.exec(step);
  db.exec('PRAGMA user_version = 2');
  const now = Date.now();
  const counts = new Map<string, { parent: string | null; files: number; direct: number }>();
  for (const [name, content] of Object.entries(files)) {
    const key = newKey();
    await mkdir(dirname(join(path, key)), { recursive: true });
    await writeFile(join(path, key), content);
    const parent = name.slice(0, name.lastIndexOf('/') + 1);
    db.prepare(
      `INSERT INTO files (id, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'text/plain', ?, ?, ?, ?)`,
    ).run(
      randomUUID(),
      name,
      parent,
      name.toLowerCase(),
      Buffer.byteLength(content),
      sha256(content),
      key,
      now,
      now,
    );
    for (const folder of new Set(['', parent])) {
      const entry = counts.get(folder) ?? {
        parent: folder === '' ? null : '',
        files: 0,
        direct: 0,
      };
      entry.files += 1;
      if (folder === parent) entry.direct += 1;
      counts.set(folder, entry);
    }
  }
  db.exec('DELETE FROM folders');
  for (const [folder, { parent, files: count, direct }] of counts)
    db.prepare('INSERT INTO folders (path, parent, files, direct) VALUES (?, ?, ?, ?)').run(
      folder,
      parent,
      count,
      direct,
    );
  db.close();
}

describe('upgrading a data folder from before accounts', () => {
  it('when the first admin makes a request, then the files stored before are theirs, on every replica at once, and a member sees none of them', async () => {
    const data = await tempDir('accounts-upgrade');
    const stored = { 'notes.txt': 'from before', 'docs/plan.md': '# plan' };
    await dataFromBeforeAccounts(data.path, stored);
    const env = { STORAGE: 'disk', CATALOGUE: 'sqlite', DATA_DIR: data.path };
    const first = await startService('files', env);
    const second = await startService('files', env);
    try {
      const alice = new FilesClient(first.url, { headers: signedAs(testCallers.alice) });
      assert.deepEqual(await alice.all(), []);
      // Both replicas see the admin's first requests at once: one claims, the other finds it done.
      const [one, two] = await Promise.all(
        [first, second].map((replica) =>
          new FilesClient(replica.url, { headers: signedAs(testCallers.admin) }).all(),
        ),
      );
      const names = Object.keys(stored).sort();
      assert.deepEqual(
        one?.map((f) => f.name),
        names,
      );
      assert.deepEqual(
        two?.map((f) => f.name),
        names,
      );
      const admin = new FilesClient(second.url, { headers: signedAs(testCallers.admin) });
      for (const file of one ?? []) {
        assert.equal(
          await (await admin.download(file.url)).text(),
          stored[file.name as keyof typeof stored],
        );
        assert.equal((await alice.file(file.id)).data?.file, null);
        assert.equal((await alice.download(file.url)).status, 404);
      }
      assert.equal((await admin.list()).data?.files.totalCount, 2);
      // The name is the admin's now; a member's notes.txt is a file of their own.
      const mine = await alice.put('notes.txt', 'alice');
      assert.ok(!one?.some((f) => f.id === mine.id));
    } finally {
      await second.stop();
      await first.stop();
      await data.remove();
    }
  });
});
