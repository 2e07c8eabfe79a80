import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '@filegraph/processes/postgres';
import { tempDir } from '../src/temp.ts';

/** The processes whose parent is `pid` (the postmaster's backends and helpers). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

describe('a private PostgreSQL cluster for tests', () => {
  const folders: Array<{ remove(): Promise<void> }> = [];
  const servers: PostgresServer[] = [];
  let server: PostgresServer;

  const start = async () => {
    const folder = await tempDir('postgres');
    folders.push(folder);
    const started = await startPostgres(folder.path);
    servers.push(started);
    return started;
  };

  before(async () => {
    server = await start();
  });

  after(async () => {
    for (const started of servers) await started.stop();
    for (const folder of folders) await folder.remove();
  });

  it('when it has started, then filegraph signs in over TCP on 127.0.0.1 to its own database', async () => {
    assert.match(server.url, /^postgres:\/\/filegraph:[^@]+@127\.0\.0\.1:\d+\/filegraph$/);
    assert.deepEqual(server.filesEnv(), { CATALOGUE: 'postgres', DATABASE_URL: server.url });
    const [row] = await server.query<{ user: string; database: string; listen: string }>(
      "SELECT current_user AS user, current_database() AS database, current_setting('listen_addresses') AS listen",
    );
    assert.deepEqual(row, { user: 'filegraph', database: 'filegraph', listen: '127.0.0.1' });
    // The catalogue's search needs trigram indexes.
    await server.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  });

  it('when a client has the wrong password, then it is refused', async () => {
    const url = new URL(server.url);
    url.password = 'not-the-password';
    const client = new pg.Client({ connectionString: url.href });
    await assert.rejects(client.connect(), /password authentication failed/);
  });

  it('when the postmaster is killed and started again, then a committed row is still there', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE TABLE survivors (name text PRIMARY KEY)');
    await client.query("INSERT INTO survivors VALUES ('kept')");
    // Its backend quits once it notices the postmaster has gone; the session dies with it.
    client.on('error', () => {});
    const killed = server.process.pid;
    await server.kill('SIGKILL');
    await client.end().catch(() => {});

    await server.restart();
    assert.notEqual(server.process.pid, killed);
    assert.match(server.process.output(), /not properly shut down; automatic recovery/);
    assert.deepEqual(await server.query('SELECT name FROM survivors'), [{ name: 'kept' }]);
  });

  it('when a second cluster is started, then it has its own port, data and rows', async () => {
    const other = await start();
    assert.notEqual(other.port, server.port);
    assert.notEqual(other.dataDir, server.dataDir);
    await other.query('CREATE TABLE mine (n int)');
    await other.query('INSERT INTO mine VALUES (1)');
    await assert.rejects(server.query('SELECT n FROM mine'), /relation "mine" does not exist/);
    assert.deepEqual(await other.query('SELECT n FROM mine'), [{ n: 1 }]);
  });

  it('when it is stopped, then no PostgreSQL process is left and it starts again on the same port', async () => {
    await server.query('SELECT 1'); // at least one backend has come and gone
    const postmaster = server.process.pid;
    const helpers = await childrenOf(postmaster);
    assert.ok(helpers.length > 0, 'the postmaster has its helper processes');
    await server.stop();
    for (const pid of [postmaster, ...helpers]) {
      assert.ok(!existsSync(`/proc/${pid}`), `process ${pid} is still there`);
    }
    await assert.rejects(server.query('SELECT 1'), /ECONNREFUSED/);

    await server.restart();
    assert.deepEqual(await server.query('SELECT count(*)::int AS n FROM survivors'), [{ n: 1 }]);
  });

  it('when PostgreSQL is not installed, then starting fails at once, naming the tool and its install command', async () => {
    const folder = await tempDir('postgres-missing');
    folders.push(folder);
    const saved = process.env.PG_BIN;
    process.env.PG_BIN = '/nonexistent/postgresql/bin';
    const started = Date.now();
    try {
      await assert.rejects(startPostgres(folder.path), (error: Error) => {
        assert.match(error.message, /initdb/);
        assert.match(error.message, /apt-get install postgresql/);
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.PG_BIN;
      else process.env.PG_BIN = saved;
    }
    assert.ok(Date.now() - started < 2_000);
  });
});
