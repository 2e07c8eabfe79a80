import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { fromPostgres, isRetryable } from './postgresErrors.ts';

/** Where the database is and how much of it a replica may use (DATABASE_* settings). */
export interface PostgresOptions {
  readonly url: URL;
  readonly poolSize: number;
  /** Longest a statement, or the wait for a connection, may take. */
  readonly timeoutMs: number;
}

/** A store's own schema steps: applied in order, recorded in `table`, under advisory lock `lock`. */
export interface PostgresMigrations {
  /** Any number no other advisory lock in the database uses. */
  readonly lock: number;
  readonly table: string;
  /** One step per version; never edit a step that has shipped, add one. */
  readonly steps: readonly string[];
}

export interface PostgresDatabaseOptions extends PostgresOptions {
  /** The store as errors and logs name it: "catalogue", "accounts store". */
  readonly store: string;
  /** What the server shows in pg_stat_activity. */
  readonly applicationName: string;
  readonly migrations: PostgresMigrations;
  /** Logged once per step applied. */
  readonly migratedMessage: string;
}

type Client = pg.PoolClient;

/**
 * A statement each connection plans once, not at every call, for the hot
 * paths: planning a lookup on a table with many indexes can cost more than
 * running it. Its name is its text's hash, so one text is one statement.
 */
export function statement(text: string): (values: unknown[]) => pg.QueryConfig {
  const name = `fg_${createHash('sha256').update(text).digest('base64url').slice(0, 20)}`;
  return (values) => ({ name, text, values });
}

/**
 * A service's connection pool to PostgreSQL, with what every store on it
 * needs: the schema migrated on open, failures read in the API's terms
 * (`call`), and transactions run again when PostgreSQL reports a lost race.
 */
export class PostgresDatabase {
  readonly #options: PostgresDatabaseOptions;
  readonly #logger: Logger;
  readonly #where: string;
  readonly #owner: string;
  #pool: pg.Pool | undefined;

  /** `owner` names the class that uses it, for the error a call before open() is. */
  constructor(options: PostgresDatabaseOptions, logger: Logger, owner: string) {
    this.#options = options;
    this.#logger = logger;
    this.#where = `${options.store} (PostgreSQL at ${options.url.host})`;
    this.#owner = owner;
  }

  get pool(): pg.Pool {
    if (!this.#pool) throw new Error(`${this.#owner} used before open()`);
    return this.#pool;
  }

  async open(): Promise<void> {
    if (this.#pool) return;
    const { timeoutMs } = this.#options;
    const pool = new pg.Pool({
      connectionString: this.#options.url.href,
      max: this.#options.poolSize,
      connectionTimeoutMillis: timeoutMs,
      idleTimeoutMillis: 30_000,
      statement_timeout: timeoutMs,
      // Past this, a server that stopped answering mid-query (frozen, cut off) is given up on.
      query_timeout: timeoutMs + 1_000,
      application_name: this.#options.applicationName,
      // Named statements (`statement`) are planned once, for any values: they look rows up by keys
      // that have an index each, whatever the values. Unnamed ones are planned at every call still.
      options: '-c plan_cache_mode=force_generic_plan',
      // bigint columns (sizes, counts, ms times) as numbers: all stay below 2^53.
      types: {
        getTypeParser: (oid, format) =>
          oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format),
      },
    });
    // An idle connection dropped by the server must not end the process; the pool replaces it.
    pool.on('error', (error) =>
      this.#logger.warn(`${this.#options.store} connection lost`, { err: error }),
    );
    this.#pool = pool;
    try {
      await this.call(() => this.#migrate());
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  async check(): Promise<void> {
    await this.call(() => this.pool.query('SELECT 1'));
  }

  /**
   * Applies what the database lacks of the steps, each in its own
   * transaction, under an advisory lock: replicas that start together take
   * turns, and each finds the work done by the one before.
   */
  async #migrate(): Promise<void> {
    const { lock, table, steps } = this.#options.migrations;
    const { client, release } = await this.hold();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [lock]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${table} (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number }>(
        `SELECT coalesce(max(version), 0) AS version FROM ${table}`,
      );
      for (let version = (rows[0]?.version ?? 0) + 1; version <= steps.length; version += 1) {
        await client.query('BEGIN');
        try {
          await client.query(steps[version - 1] as string);
          await client.query(`INSERT INTO ${table} (version) VALUES ($1)`, [version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        this.#logger.info(this.#options.migratedMessage, { version });
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [lock]).catch(() => {});
      release();
    }
  }

  /**
   * A connection held for a series of statements. While it is held, the
   * pool no longer listens for its errors, and a server that dies under it
   * would end the process: we listen, and it is dropped when given back.
   */
  async hold(): Promise<{ client: Client; release(error?: Error): void }> {
    const client = await this.pool.connect();
    let lost: Error | undefined;
    const onError = (error: Error) => (lost = error);
    client.on('error', onError);
    return {
      client,
      release: (error) => {
        client.off('error', onError);
        client.release(error ?? lost);
      },
    };
  }

  /** Runs `work`, its failure read in the API's terms (fromPostgres). */
  async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw fromPostgres(error, this.#where, this.#options.timeoutMs);
    }
  }

  async query<Row extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<Row>> {
    return this.call(() => this.pool.query<Row>(sql, params));
  }

  /** Runs `work` in one transaction, again when PostgreSQL reports a deadlock or serialization failure. */
  transaction<T>(work: (client: Client) => Promise<T>): Promise<T> {
    return this.call(async () => {
      for (let attempt = 1; ; attempt += 1) {
        const { client, release } = await this.hold();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
          if (!isRetryable(error) || attempt === 3) throw error;
        } finally {
          release(broken);
        }
      }
    });
  }
}
