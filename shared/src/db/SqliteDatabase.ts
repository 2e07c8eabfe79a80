import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Logger } from '../logger.ts';

export interface SqliteDatabaseOptions {
  /** One step per version (PRAGMA user_version); never edit a step that has shipped, add one. */
  readonly migrations: readonly string[];
  /** Logged once per step applied. */
  readonly migratedMessage: string;
}

const busyTimeoutMs = 5_000;
const sqliteBusy = 5;

/**
 * Switches a new file to WAL. Two processes doing that at once both hold a
 * shared lock and want an exclusive one; SQLite answers one of them BUSY at
 * once rather than call its busy handler (that wait could never end), so the
 * switch is tried again here until busy_timeout has passed.
 */
async function toWal(db: DatabaseSync): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (error) {
      const code = (error as { errcode?: number }).errcode ?? 0;
      if ((code & 0xff) !== sqliteBusy || Date.now() > deadline) throw error;
      await sleep(10 + Math.random() * 40);
    }
  }
}

/**
 * A store's SQLite file, for the embedded default: opened in WAL mode with
 * its schema migrated, statements prepared once per shape. node:sqlite is
 * synchronous: a transaction runs to its end before anything else in the
 * process, and BEGIN IMMEDIATE keeps another process on the same file out
 * meanwhile.
 */
export class SqliteDatabase {
  readonly #path: string;
  readonly #options: SqliteDatabaseOptions;
  readonly #logger: Logger;
  readonly #owner: string;
  readonly #statements = new Map<string, StatementSync>();
  #opened: DatabaseSync | undefined;

  /** `owner` names the class that uses it, for the error a call before open() is. */
  constructor(path: string, options: SqliteDatabaseOptions, logger: Logger, owner: string) {
    this.#path = path;
    this.#options = options;
    this.#logger = logger;
    this.#owner = owner;
  }

  get #db(): DatabaseSync {
    if (!this.#opened) throw new Error(`${this.#owner} used before open()`);
    return this.#opened;
  }

  async open(): Promise<void> {
    if (this.#opened) return;
    mkdirSync(dirname(this.#path), { recursive: true });
    const db = new DatabaseSync(this.#path);
    // busy_timeout first: another process on the same file (a second replica in a test)
    // may hold the write lock for a moment.
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    await toWal(db);
    db.exec('PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    // Each step reads the version under BEGIN IMMEDIATE: processes opening one file at once
    // take turns, and each finds the steps done by the one before.
    for (;;) {
      db.exec('BEGIN IMMEDIATE');
      let applied: number | undefined;
      try {
        const { user_version: version } = db.prepare('PRAGMA user_version').get() as {
          user_version: number;
        };
        const step = this.#options.migrations[version];
        if (step !== undefined) {
          db.exec(step);
          db.exec(`PRAGMA user_version = ${version + 1}`);
          applied = version + 1;
        }
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        db.close();
        throw error;
      }
      if (applied === undefined) break;
      this.#logger.info(this.#options.migratedMessage, { version: applied });
    }
    this.#opened = db;
  }

  async close(): Promise<void> {
    this.#statements.clear();
    this.#opened?.close();
    this.#opened = undefined;
  }

  async check(): Promise<void> {
    this.run('SELECT 1').get();
  }

  /** Statements are prepared once per shape. */
  run(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `work` in one transaction. It is synchronous, as node:sqlite is:
   * nothing else can touch the database until it has committed, so neither
   * another request's write nor its read can come in between.
   */
  transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}
