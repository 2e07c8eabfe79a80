import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { FilesClient } from '@filegraph/testing/filesClient';
import { signedAs, testCallers, testIdentitySecret } from '@filegraph/testing/identity';
import { root } from '@filegraph/processes/root';
import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

/** `npm run catalogue -- <args>` as an operator runs it, on the files service's settings. */
function catalogueCommand(env: Record<string, string>, ...args: string[]) {
  const run = spawnSync(join(root, 'scripts/node-service'), ['scripts/catalogue.ts', ...args], {
    cwd: root,
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
      ...env,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('npm run catalogue', () => {
  let data: { path: string; remove(): Promise<void> };
  let env: Record<string, string>;
  const names = ['kept.txt', 'lost.txt', 'other.txt'];
  /** The first admin, as the gateway would vouch for them to the files subgraph. */
  const asFirstAdmin = signedAs(testCallers.admin);

  before(async () => {
    data = await tempDir('catalogue-command');
    // The files service's settings, as an operator has them (its IDENTITY_SECRET too).
    env = { STORAGE: 'disk', DATA_DIR: data.path, IDENTITY_SECRET: testIdentitySecret };
    const service = await startService('files', env);
    const api = new FilesClient(service.url, { headers: asFirstAdmin });
    for (const name of names) await api.put(name, `content of ${name}`);
    await service.stop();
  });
  after(() => data?.remove());

  it('when catalogue and storage agree, then check says so and exits 0', () => {
    const { code, out } = catalogueCommand(env, 'check');
    assert.equal(code, 0, out);
    assert.match(out, /catalogue and storage agree/);
  });

  it('when bytes are lost, orphaned or put there by hand, then check lists each and exits 1, and repair makes them agree', async () => {
    const db = new DatabaseSync(join(data.path, 'catalogue.sqlite'), { readOnly: true });
    const lost = db.prepare("SELECT object_key FROM files WHERE name = 'lost.txt'").get() as {
      object_key: string;
    };
    db.close();
    await rm(join(data.path, lost.object_key));
    const orphan = `objects/ab/cd/${'e'.repeat(32)}`;
    await mkdir(join(data.path, 'objects/ab/cd'), { recursive: true });
    await writeFile(join(data.path, orphan), 'nobody’s');
    await mkdir(join(data.path, 'files/by hand'), { recursive: true });
    await writeFile(join(data.path, 'files/by hand/note.txt'), 'put here by hand');

    const checked = catalogueCommand(env, 'check', '--json');
    assert.equal(checked.code, 1, checked.err);
    const differences = JSON.parse(checked.out) as {
      missing: Array<{ name: string }>;
      orphans: Array<{ key: string }>;
      foreign: Array<{ key: string }>;
    };
    assert.deepEqual(
      differences.missing.map((f) => f.name),
      ['lost.txt'],
    );
    assert.deepEqual(
      differences.orphans.map((o) => o.key),
      [orphan],
    );
    assert.deepEqual(
      differences.foreign.map((o) => o.key),
      ['files/by hand/note.txt'],
    );

    const repaired = catalogueCommand(env, 'repair');
    assert.equal(repaired.code, 0, repaired.err);
    assert.match(repaired.out, /forgot 1 file\(s\), deleted 1 object\(s\), adopted 1 object\(s\)/);
    assert.equal(catalogueCommand(env, 'check').code, 0);

    const service = await startService('files', env);
    try {
      // Adopted files are nobody's until the first admin's first request claims them.
      const api = new FilesClient(service.url, { headers: asFirstAdmin });
      const listed = await api.all();
      assert.deepEqual(
        listed.map((f) => f.name),
        ['by hand/note.txt', 'kept.txt', 'other.txt'],
      );
      const note = listed[0];
      assert.equal(await (await api.download(note?.url ?? '')).text(), 'put here by hand');
    } finally {
      await service.stop();
    }
  });

  it('when it is called wrongly or cannot reach its catalogue, then it exits 2 saying why', () => {
    assert.equal(catalogueCommand(env, 'frobnicate').code, 2);
    const unreachable = catalogueCommand(
      {
        ...env,
        CATALOGUE: 'postgres',
        DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none',
        DATABASE_TIMEOUT: '500ms',
      },
      'check',
    );
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.err, /not answering/);
  });
});
