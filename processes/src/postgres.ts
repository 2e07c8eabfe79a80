import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from './ports.ts';
import { startProcess, type ManagedProcess } from './processes.ts';
import { requireTool } from './tools.ts';

/** The role and database a cluster is made with, as the official image does with POSTGRES_USER/POSTGRES_DB. */
export const postgresRole = 'filegraph';
const install = 'apt-get install postgresql';
const ready = 'database system is ready to accept connections';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * Debian's PostgreSQL (not on PATH): PG_BIN, else the newest
 * /usr/lib/postgresql/<major>/bin. Throws, naming the tool and how to
 * install it, when one is missing.
 */
export function postgresBinaries(): PostgresBinaries {
  return { initdb: requireTool('initdb'), postgres: requireTool('postgres') };
}

export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Who runs PostgreSQL: `initdb` and `postgres` refuse to run as root, so as
 * root they run as the `postgres` user (Debian's package creates it);
 * otherwise as whoever we are (undefined).
 */
export function postgresOsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => {
    const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    return result.status === 0 ? Number(result.stdout.trim()) : undefined;
  };
  const uid = id('-u');
  const gid = id('-g');
  if (uid === undefined || gid === undefined) {
    throw new Error(
      `PostgreSQL refuses to run as root and there is no "postgres" user to run it as; \`${install}\` creates one.`,
    );
  }
  return { name: 'postgres', uid, gid };
}

/**
 * A folder the PostgreSQL user owns. As root, every folder above it is made
 * searchable (o+x: passable, not listable) where that user could not pass,
 * e.g. a test's private temp folder.
 */
async function ownedFolder(path: string, user: OsUser | undefined): Promise<void> {
  await mkdir(path, { recursive: true });
  await chmod(path, 0o700);
  if (!user) return;
  await chown(path, user.uid, user.gid);
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const info = await stat(dir);
    const bit = info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) await chmod(dir, (info.mode & 0o7777) | bit);
    if (dirname(dir) === dir) break;
  }
}

/** Runs a one-shot tool (initdb) to its end; fails with its output. */
async function runOnce(
  name: string,
  command: string,
  args: readonly string[],
  user: OsUser | undefined,
  cwd: string,
  timeoutMs = 60_000,
): Promise<void> {
  const child = await startProcess({ name, command, args, cwd, uid: user?.uid, gid: user?.gid });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) {
    throw new Error(`${name} failed (exit ${code}):\n${child.output().slice(-3000)}`);
  }
}

/**
 * Makes a cluster in `dataDir` unless one is there: superuser `filegraph`
 * with `password` (as the official image's POSTGRES_USER and
 * POSTGRES_PASSWORD do), passwords (SCRAM) over TCP, no password on the
 * Unix socket, which only the cluster's owner can reach (it is in the data
 * folder). Returns whether it made one.
 */
export async function initCluster(dataDir: string, password: string): Promise<boolean> {
  const data = resolve(dataDir);
  if (existsSync(join(data, 'PG_VERSION'))) return false;
  const { initdb } = postgresBinaries();
  const user = postgresOsUser();
  await ownedFolder(data, user);
  // initdb reads the password from a file, which its user must be able to read.
  const secrets = await mkdtemp(join(tmpdir(), 'filegraph-pwfile-'));
  try {
    const pwfile = join(secrets, 'password');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) {
      await chown(secrets, user.uid, user.gid);
      await chown(pwfile, user.uid, user.gid);
    }
    await runOnce(
      'initdb',
      initdb,
      [
        `--pgdata=${data}`,
        `--username=${postgresRole}`,
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        // Code-point order and Unicode case mapping, like the Alpine image's musl.
        '--locale=C.UTF-8',
        '--no-sync',
        '--no-instructions',
      ],
      user,
      data,
    );
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
  return true;
}

export interface PostmasterOptions {
  /**
   * Keep fsync and full-page writes (a cluster that outlives a test). Without
   * them a commit still reaches the OS before it returns, so killing
   * PostgreSQL loses nothing; only an OS crash would.
   */
  readonly durable?: boolean;
}

/**
 * How to start the postmaster on 127.0.0.1:`port` for the cluster in
 * `dataDir`: options for startProcess (or the stack's supervisor). Its
 * clean stop is SIGINT (fast shutdown: sessions are ended), as in the
 * official image; SIGTERM would wait for every client to leave.
 */
export function postmaster(
  dataDir: string,
  port: number,
  options: PostmasterOptions = {},
): {
  command: string;
  args: string[];
  cwd: string;
  uid: number | undefined;
  gid: number | undefined;
  stopSignal: NodeJS.Signals;
} {
  const data = resolve(dataDir);
  const user = postgresOsUser();
  // A Unix socket path has at most 107 bytes; a deeper data folder gets TCP only.
  const socketFits = Buffer.byteLength(join(data, `.s.PGSQL.${port}`)) <= 107;
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketFits ? data : '',
    max_connections: '200',
    shared_buffers: '32MB',
    // Not synchronous_commit=off: commits still in PostgreSQL's memory would die with a killed postmaster.
    ...(options.durable ? {} : { fsync: 'off', full_page_writes: 'off' }),
  };
  return {
    command: postgresBinaries().postgres,
    args: [
      '-D',
      data,
      ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    ],
    cwd: data,
    uid: user?.uid,
    gid: user?.gid,
    stopSignal: 'SIGINT',
  };
}

/** The postmaster wrote that it serves (after any crash recovery). */
export function postmasterReady(line: string): boolean {
  return line.includes(ready);
}

/** postgres://filegraph:…@127.0.0.1:port/filegraph */
export function postgresUrl(port: number, password: string, database = postgresRole): string {
  return `postgres://${postgresRole}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * Creates the `filegraph` database when missing, as `filegraph` over TCP
 * with its password (which also proves that password works).
 */
export async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({
    connectionString: postgresUrl(port, password, 'postgres'),
    connectionTimeoutMillis: 10_000,
  });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot sign in to PostgreSQL on 127.0.0.1:${port} as ${postgresRole} ` +
        `(a cluster keeps the password it was made with): ${String(error)}`,
      { cause: error },
    );
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      postgresRole,
    ]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${postgresRole} OWNER ${postgresRole}`).catch(
        // 42P04: created meanwhile by another caller.
        (error: unknown) => {
          if ((error as { code?: string }).code !== '42P04') throw error;
        },
      );
    }
  } finally {
    await client.end();
  }
}

export interface PostgresServer {
  /** postgres://filegraph:…@127.0.0.1:port/filegraph */
  readonly url: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly dataDir: string;
  /** The postmaster itself (not a wrapper): a signal sent to it reaches PostgreSQL. */
  readonly process: ManagedProcess;
  /** The environment a files subgraph needs to keep its catalogue here. */
  filesEnv(): Record<string, string>;
  /** Runs one statement on a connection of its own, as `filegraph`. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /** Stops it cleanly (fast shutdown: open sessions are ended). */
  stop(): Promise<void>;
  /** Kills the postmaster the way a crash would (its backends notice and quit), and waits for it. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data folder (after a kill or stop); it recovers as after a crash. */
  restart(): Promise<void>;
}

/**
 * A real, private PostgreSQL cluster in `dataDir` (made on first use), on a
 * free port on 127.0.0.1, with settings for tests (no fsync: tests kill
 * PostgreSQL, not the OS), ready with database `filegraph`.
 */
export async function startPostgres(dataDir: string): Promise<PostgresServer> {
  const data = resolve(dataDir);
  const password = 'filegraph-test-password';
  await initCluster(data, password);
  const port = await freePort();
  const url = postgresUrl(port, password);
  let current = await spawnPostgres(data, port);
  try {
    await ensureDatabase(port, password);
  } catch (error) {
    await current.stop();
    throw error;
  }
  return {
    url,
    port,
    user: postgresRole,
    password,
    database: postgresRole,
    dataDir: data,
    get process() {
      return current;
    },
    filesEnv: () => ({ CATALOGUE: 'postgres', DATABASE_URL: url }),
    async query<Row extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<Row>(sql, [...params])).rows;
      } finally {
        await client.end();
      }
    },
    stop: () => current.stop(),
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      current.kill(signal);
      await current.exited;
    },
    async restart() {
      await current.stop();
      current = await spawnPostgres(data, port);
    },
  };
}

/**
 * Starts the postmaster. Right after a crash its old backends may still be
 * on their way out, holding the old shared memory, and PostgreSQL refuses
 * to start until they are gone: that is waited for, a few seconds at most.
 */
async function spawnPostgres(dataDir: string, port: number): Promise<ManagedProcess> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await startProcess({
        name: 'postgres',
        ...postmaster(dataDir, port),
        ready: postmasterReady,
        timeoutMs: 60_000,
      });
    } catch (error) {
      const busy = /pre-existing shared memory block|Address already in use/.test(String(error));
      if (!busy || Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
}
