import { createWriteStream, type WriteStream } from 'node:fs';
import { createLogger, type Logger } from '@filegraph/shared/logger';
import { loadStackConfig, type StackConfig } from '@filegraph/scripts/stack/config';
import { startStack, type Stack } from '@filegraph/scripts/stack';
import { testAdmin, tokenHeaders } from '@filegraph/testing/accounts';
import { eventually } from '@filegraph/testing/eventually';
import { FilesClient } from '@filegraph/testing/filesClient';
import { tempDir } from '@filegraph/testing/temp';
import { CatalogueDb } from './CatalogueDb.ts';
import type { BenchConfig } from './config.ts';
import { DirectMinio } from './DirectMinio.ts';
import { dataOf, postGraphql } from './http.ts';

/** The first admin of a bench stack, signed in as a script signs in: with an API token. */
export interface SignedIn {
  /** Their user id: rows written straight into the catalogue are theirs (CatalogueDb.insertFiles). */
  readonly id: string;
  /** `Authorization: Bearer <token>`, for every request through the gateway. */
  readonly headers: () => Record<string, string>;
}

/** The native stack the scenarios share, with the ways to reach it. */
export interface SharedStack {
  readonly stack: Stack;
  readonly config: StackConfig;
  /** The first admin, as whom every scenario talks to the gateway. */
  readonly admin: SignedIn;
  /** The API as a script uses it, through the gateway, as `admin`. */
  readonly api: FilesClient;
  /** The same MinIO, without filegraph. */
  readonly direct: DirectMinio;
  /** The bucket the files replicas keep files in. */
  readonly bucket: string;
  /** The files replicas' catalogue (PostgreSQL), without filegraph. */
  readonly db: CatalogueDb;
}

export interface BenchStack {
  readonly stack: Stack;
  readonly config: StackConfig;
  /** Its catalogue, reached straight; closed by `stop`. */
  readonly db: CatalogueDb;
  stop(): Promise<void>;
}

/**
 * Starts a native stack on 127.0.0.1 with its own data folder, its first
 * admin the tests' (testAdmin), and any other `settings` (LOGS_URL …);
 * `stop` also removes the folder.
 */
export async function startBenchStack(
  logger: Logger,
  settings: Readonly<Record<string, string>> = {},
): Promise<BenchStack> {
  const data = await tempDir('bench-stack');
  const config = loadStackConfig({
    DATA_DIR: data.path,
    HOST: '127.0.0.1',
    PORT: '0',
    FILES_REPLICAS: '2',
    ADMIN_EMAIL: testAdmin.email,
    ADMIN_PASSWORD: testAdmin.password,
    ...settings,
  });
  try {
    const stack = await startStack(config, logger);
    const url = stack.filesEnv.DATABASE_URL;
    if (!url) {
      await stack.stop();
      throw new Error('the stack starts its files replicas without a DATABASE_URL');
    }
    const db = new CatalogueDb(url);
    return {
      stack,
      config,
      db,
      async stop() {
        await db.close();
        await stack.stop();
        await data.remove();
      },
    };
  } catch (error) {
    await data.remove();
    throw error;
  }
}

/** Signs the first admin in through the gateway (sign-in, then createToken) once it takes sign-ins. */
export async function signInAdmin(stack: Stack): Promise<SignedIn> {
  const headers = await eventually(
    'the gateway takes sign-ins',
    () => tokenHeaders(stack.url),
    30_000,
    100,
  );
  const me = await postGraphql<{ me: { id: string } }>(
    `${stack.url}/graphql`,
    '{ me { id } }',
    {},
    { headers: headers() },
  );
  return { id: dataOf(me, 'me').me.id, headers };
}

/** Waits until the gateway answers a files query (ready is not yet routed to every subgraph). */
export async function answersFilesQueries(stack: Stack, admin: SignedIn): Promise<void> {
  await eventually(
    'the gateway answers a files query',
    async () => {
      const answer = await postGraphql(
        `${stack.url}/graphql`,
        '{ files(first: 1) { nodes { id } } }',
        {},
        { headers: admin.headers() },
      );
      return answer.status === 200 && answer.errors === undefined ? true : undefined;
    },
    30_000,
    100,
  );
}

/**
 * What every scenario gets: the configuration, progress output, the shared
 * stack (started on first use) and a list of things to stop at the end or
 * on Ctrl-C, so nothing the bench started outlives it.
 */
export class BenchContext {
  readonly config: BenchConfig;
  /** The services' own logs go here, not to the terminal. */
  readonly logger: Logger;
  readonly #log: WriteStream;
  readonly #cleanups = new Set<() => Promise<void>>();
  #shared: Promise<SharedStack> | undefined;
  #stopShared: (() => Promise<void>) | undefined;
  #closing: Promise<void> | undefined;

  constructor(config: BenchConfig, logPath: string) {
    this.config = config;
    this.#log = createWriteStream(logPath);
    this.logger = createLogger({
      level: 'info',
      format: 'json',
      write: (line) => this.#log.write(`${line}\n`),
    });
  }

  /** One progress line on stderr; the table goes to stdout. */
  progress(scenario: string, message: string): void {
    process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${scenario}: ${message}\n`);
  }

  /** Registers a cleanup; the function returned runs it now, once. */
  cleanup(work: () => Promise<void>): () => Promise<void> {
    const once = async () => {
      if (!this.#cleanups.delete(once)) return;
      await work();
    };
    this.#cleanups.add(once);
    return once;
  }

  /** The shared stack, started on first use and answering queries through the gateway. */
  sharedStack(): Promise<SharedStack> {
    this.#shared ??= (async () => {
      this.progress('stack', 'starting the native stack (MinIO, HAProxy, 2 files replicas …)');
      const { stack, config, db, stop } = await startBenchStack(this.logger);
      this.#stopShared = this.cleanup(stop);
      const admin = await signInAdmin(stack);
      await answersFilesQueries(stack, admin);
      return {
        stack,
        config,
        admin,
        api: new FilesClient(stack.url, { headers: admin.headers }),
        direct: new DirectMinio(stack.addresses.minio, config.minioUser, config.minioPassword),
        bucket: stack.filesEnv.MINIO_BUCKET ?? 'filegraph',
        db,
      };
    })();
    return this.#shared;
  }

  /** Stops the shared stack (before scenarios that must have the machine to themselves). */
  async stopSharedStack(): Promise<void> {
    const stop = this.#stopShared;
    this.#shared = undefined;
    this.#stopShared = undefined;
    await stop?.();
  }

  /** Runs every cleanup, newest first, and closes the log; once, however often it is called. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const cleanup of [...this.#cleanups].reverse()) {
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`cleanup failed: ${String(error)}\n`);
      }
    }
    await new Promise<void>((resolve) => this.#log.end(resolve));
  }
}
