import type { Agent } from 'node:http';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileFieldsFragment, type FilePage } from '@filegraph/testing/filesClient';
import { freePort } from '@filegraph/processes/ports';
import { startProcess, type ManagedProcess } from '@filegraph/processes/processes';
import { root } from '@filegraph/processes/root';
import {
  answersFilesQueries,
  signInAdmin,
  startBenchStack,
  type BenchContext,
  type BenchStack,
  type SignedIn,
} from '../BenchContext.ts';
import { generatedContent } from '../CatalogueDb.ts';
import { consume, sha256 } from '../content.ts';
import { DirectMinio } from '../DirectMinio.ts';
import { dataOf, httpGet, postGraphql } from '../http.ts';
import { pairedSamples, type Paired } from '../measure.ts';
import { rss } from '../processMemory.ts';
import type { Row } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { median } from '../stats.ts';

const pageSize = 50;
/** Timed requests per latency row, after `warmups` untimed ones. */
const samples = 20;
const warmups = 3;
/** Quiet time before RSS is read: services hand back their idle heap after 2 s (shared/src/garbage.ts). */
const restMs = 5_000;
const mib = 2 ** 20;
const perTop = 100_000;
const perFolder = 1_000;

const topics = [
  'Été',
  'Photos',
  'Reçus',
  'Vidéos',
  'Musique',
  'Zürich',
  'Projets',
  'Ñandú',
  'Archives',
  'Documents',
];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * File `i`'s name: 100,000 files to a top folder, 1,000 to a subfolder,
 * accents in some folder names; names sort (byte order) as `i` does.
 */
function nameOf(i: number): string {
  const top = Math.floor(i / perTop);
  const folder = Math.floor(i / perFolder) % (perTop / perFolder);
  return `${two(top)} ${topics[top % topics.length]}/${two(folder)}/fichier-${String(i).padStart(7, '0')}.txt`;
}

/**
 * The API's cursor for the file named `name`, in name order: [field, sort
 * value, name] as JSON in base64url (encodeCursor in
 * subgraphs/files/src/files/cursors.ts, not exported); checked against an
 * endCursor the API gives before it is used.
 */
function cursorOf(name: string): string {
  return Buffer.from(JSON.stringify(['name', null, name])).toString('base64url');
}

const pageQuery = `query ($first: Int, $after: String, $search: String, $prefix: String, $recursive: Boolean) {
  files(first: $first, after: $after, search: $search, prefix: $prefix, recursive: $recursive) {
    nodes { ...FileFields } pageInfo { hasNextPage endCursor } totalCount
  }
}
${fileFieldsFragment}`;

/**
 * What a files replica sends PostgreSQL for a page (PostgresCatalogue.list):
 * the page, one row more than asked (is there a next page?), and at the
 * same time its count, kept in `folders` or, for a search, counted; each
 * for one owner, the signed-in caller ($1).
 */
const columns =
  'id, name, size, content_type, checksum, object_key, created_at, updated_at, deleted_at';
const sql = {
  page: `SELECT ${columns} FROM files WHERE owner = $1 AND deleted_at IS NULL ORDER BY name ASC LIMIT $2`,
  pageAfter: `SELECT ${columns} FROM files WHERE owner = $1 AND deleted_at IS NULL AND name > $2 ORDER BY name ASC LIMIT $3`,
  count: 'SELECT files, direct FROM folders WHERE owner = $1 AND path = $2',
  search: `SELECT ${columns} FROM files WHERE owner = $1 AND deleted_at IS NULL AND folded LIKE $2 ESCAPE '\\' ORDER BY name ASC LIMIT $3`,
  searchCount: `SELECT count(*) AS count FROM files WHERE owner = $1 AND deleted_at IS NULL AND folded LIKE $2 ESCAPE '\\'`,
};

function sameNames(got: readonly string[], expected: readonly string[], what: string): void {
  if (got.length !== expected.length || got.some((name, i) => name !== expected[i]))
    throw new Error(
      `${what}: got [${got.slice(0, 2).join(', ')} …] (${got.length}), expected [${expected.slice(0, 2).join(', ')} …] (${expected.length})`,
    );
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

type Query = 'firstPage' | 'deepPage' | 'search';

/** What was measured with `count` files in the catalogue. */
interface AtSize {
  readonly count: number;
  /** The file the deep page comes after (1-based, as in "after file 900,000"). */
  readonly depth: number;
  readonly term: string;
  readonly firstPage: Paired;
  readonly deepPage: Paired;
  readonly search: Paired;
  /** Writing the rows that took the catalogue here, with VACUUM ANALYZE. */
  readonly seedSeconds: number;
  readonly seeded: number;
  readonly bytes: { filesTable: number; filesIndexes: number; folders: number };
  /** EXPLAIN (ANALYZE, BUFFERS) of each row's two statements, after the timed runs. */
  readonly plans: Record<Query, { page: string; count: string }>;
}

/** The scenario's own stack, and what it does with it. */
class CatalogueStack {
  readonly #own: BenchStack;
  readonly #gateway: string;
  readonly #direct: DirectMinio;
  readonly #bench: BenchContext;
  /** Whose every row is and as whom the API is asked. */
  readonly #admin: SignedIn;

  constructor(bench: BenchContext, own: BenchStack, admin: SignedIn) {
    this.#bench = bench;
    this.#own = own;
    this.#admin = admin;
    this.#gateway = `${own.stack.url}/graphql`;
    this.#direct = new DirectMinio(
      own.stack.addresses.minio,
      own.config.minioUser,
      own.config.minioPassword,
    );
  }

  progress(message: string): void {
    this.#bench.progress('catalogue', message);
  }

  async page(variables: Record<string, unknown>, what: string): Promise<FilePage & { ms: number }> {
    const answer = await postGraphql<{ files: FilePage }>(this.#gateway, pageQuery, variables, {
      headers: this.#admin.headers(),
    });
    return { ...dataOf(answer, what).files, ms: answer.ms };
  }

  async totalCount(variables: Record<string, unknown>, expected: number, what: string) {
    const { totalCount } = await this.page({ first: 0, ...variables }, what);
    if (totalCount !== expected)
      throw new Error(`${what}: totalCount ${totalCount}, expected ${expected}`);
  }

  /** Rows `from` … `to` − 1, straight into PostgreSQL, then fresh statistics. */
  async seed(from: number, to: number): Promise<number> {
    this.progress(
      `writing rows ${from.toLocaleString('en')} … ${to.toLocaleString('en')} straight into PostgreSQL`,
    );
    const started = performance.now();
    await this.#own.db.insertFiles(range(from, to).map(nameOf), undefined, this.#admin.id);
    await this.#own.db.vacuumAnalyze();
    const seconds = (performance.now() - started) / 1000;
    this.progress(
      `written in ${seconds.toFixed(1)} s (${Math.round((to - from) / seconds)} rows/s)`,
    );
    return seconds;
  }

  /** Bytes for these files (and only these: the rest of the rows have none), under their rows' keys. */
  async writeObjects(names: readonly string[]): Promise<void> {
    const bucket = this.#own.stack.filesEnv.MINIO_BUCKET ?? 'filegraph';
    for (const name of names) {
      const row = await this.#own.db.file(name);
      if (!row) throw new Error(`${name} is not in the catalogue`);
      const content = generatedContent(name);
      await this.#direct.put(bucket, row.key, content, content.length);
    }
  }

  /** Downloads each through the gateway and checks its bytes against its row's checksum. */
  async download(files: ReadonlyArray<{ name: string; url: string; checksum: string }>) {
    for (const file of files) {
      const response = await httpGet(`${this.#own.stack.url}${file.url}`, {
        headers: this.#admin.headers(),
      });
      if (response.statusCode !== 200) {
        response.resume();
        throw new Error(`GET ${file.url} (${file.name}): HTTP ${response.statusCode}`);
      }
      const got = await consume(response);
      if (got.sha256 !== file.checksum || got.sha256 !== sha256(generatedContent(file.name)))
        throw new Error(`${file.name}: downloaded sha256 ${got.sha256}`);
    }
  }

  /** First page, deep page and search with `count` files stored, each against its SQL. */
  async measure(count: number, seedSeconds: number, seeded: number): Promise<AtSize> {
    const { db } = this.#own;
    const owner = this.#admin.id;
    const label = count.toLocaleString('en');
    const depth = Math.floor(count * 0.9);
    // Ten names share the first six digits of their number: a selective search, in capitals.
    const block = Math.floor((count * 0.4242) / 10) * 10;
    const term = `Fichier-${String(block / 10).padStart(6, '0')}`;
    const pattern = `%${term.toLowerCase()}%`;
    const expected = {
      first: range(0, pageSize).map(nameOf),
      deep: range(depth, depth + pageSize).map(nameOf),
      search: range(block, block + 10).map(nameOf),
    };
    await this.writeObjects([nameOf(0), nameOf(depth), ...expected.search]);

    this.progress(`${label} files: checking counts, the cursor and accents`);
    const top = nameOf(0).slice(0, nameOf(0).indexOf('/') + 1);
    const folder = nameOf(0).slice(0, nameOf(0).lastIndexOf('/') + 1);
    await this.totalCount({}, count, 'every file');
    await this.totalCount({ prefix: top }, Math.min(perTop, count), `folder ${top}`);
    await this.totalCount(
      { prefix: folder, recursive: false },
      Math.min(perFolder, count),
      `directly in ${folder}`,
    );
    // "Été" is the only folded name part with "ete" in it.
    await this.totalCount({ search: 'ÉTÉ' }, Math.min(perTop, count), 'search ÉTÉ');
    const step = await this.page(
      { first: 1, after: cursorOf(nameOf(depth - 2)) },
      'a page of one before the deep page',
    );
    if (
      step.nodes[0]?.name !== nameOf(depth - 1) ||
      step.pageInfo.endCursor !== cursorOf(nameOf(depth - 1))
    )
      throw new Error(`the API's cursors are not what the bench makes: ${JSON.stringify(step)}`);
    const after = cursorOf(nameOf(depth - 1));

    this.progress(
      `${label} files: first page, page after file ${depth.toLocaleString('en')}, search "${term}"`,
    );
    let firstNodes: FilePage['nodes'] = [];
    let deepNodes: FilePage['nodes'] = [];
    let searchNodes: FilePage['nodes'] = [];
    const folderCount = async () => {
      const [row] = await db.query<{ files: number }>(sql.count, [owner, '']);
      if (row?.files !== count) throw new Error(`folders says ${row?.files} files`);
    };
    const firstPage = await pairedSamples(samples, warmups, {
      baseline: async () => {
        const started = performance.now();
        const [rows] = await Promise.all([
          db.query(sql.page, [owner, pageSize + 1]),
          folderCount(),
        ]);
        const ms = performance.now() - started;
        if (rows.length !== pageSize + 1) throw new Error(`SQL first page: ${rows.length} rows`);
        return ms;
      },
      filegraph: async () => {
        const page = await this.page({ first: pageSize }, 'first page');
        if (page.totalCount !== count || !page.pageInfo.hasNextPage)
          throw new Error(`first page: totalCount ${page.totalCount}`);
        firstNodes = page.nodes;
        sameNames(
          page.nodes.map((n) => n.name),
          expected.first,
          'first page',
        );
        return page.ms;
      },
    });
    const deepPage = await pairedSamples(samples, warmups, {
      baseline: async () => {
        const started = performance.now();
        const [rows] = await Promise.all([
          db.query<{ name: string }>(sql.pageAfter, [owner, nameOf(depth - 1), pageSize + 1]),
          folderCount(),
        ]);
        const ms = performance.now() - started;
        if (rows[0]?.name !== expected.deep[0]) throw new Error(`SQL deep page: ${rows[0]?.name}`);
        return ms;
      },
      filegraph: async () => {
        const page = await this.page({ first: pageSize, after }, 'deep page');
        if (page.totalCount !== count) throw new Error(`deep page: totalCount ${page.totalCount}`);
        deepNodes = page.nodes;
        sameNames(
          page.nodes.map((n) => n.name),
          expected.deep,
          'deep page',
        );
        return page.ms;
      },
    });
    const search = await pairedSamples(samples, warmups, {
      baseline: async () => {
        const started = performance.now();
        const [rows, counted] = await Promise.all([
          db.query(sql.search, [owner, pattern, pageSize + 1]),
          db.query<{ count: number }>(sql.searchCount, [owner, pattern]),
        ]);
        const ms = performance.now() - started;
        if (rows.length !== 10 || counted[0]?.count !== 10)
          throw new Error(`SQL search: ${rows.length} rows, count ${counted[0]?.count}`);
        return ms;
      },
      filegraph: async () => {
        const page = await this.page({ first: pageSize, search: term }, `search ${term}`);
        if (page.totalCount !== 10)
          throw new Error(`search ${term}: totalCount ${page.totalCount}`);
        searchNodes = page.nodes;
        sameNames(
          page.nodes.map((n) => n.name),
          expected.search,
          `search ${term}`,
        );
        return page.ms;
      },
    });
    await this.download(
      [firstNodes[0], deepNodes[0], ...searchNodes].filter((n) => n !== undefined),
    );
    const explain = async (statement: string, params: unknown[]) =>
      (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement}`, params))
        .map((line) => line['QUERY PLAN'])
        .join('\n');
    const plans = {
      firstPage: {
        page: await explain(sql.page, [owner, pageSize + 1]),
        count: await explain(sql.count, [owner, '']),
      },
      deepPage: {
        page: await explain(sql.pageAfter, [owner, nameOf(depth - 1), pageSize + 1]),
        count: await explain(sql.count, [owner, '']),
      },
      search: {
        page: await explain(sql.search, [owner, pattern, pageSize + 1]),
        count: await explain(sql.searchCount, [owner, pattern]),
      },
    };
    return {
      plans,
      count,
      depth,
      term,
      firstPage,
      deepPage,
      search,
      seedSeconds,
      seeded,
      bytes: await db.sizes(),
    };
  }

  /** The first page, a deep page and a search, as a client would ask them (to warm a service up). */
  async exercise(times: number): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      await this.page({ first: pageSize }, 'first page');
      await this.page({ first: pageSize, after: cursorOf(nameOf(0)) }, 'a page after the first');
      await this.page({ first: pageSize, search: 'Fichier-000042' }, 'a search');
    }
  }

  /** Each files replica's RSS, in bytes, after a quiet pause. */
  async replicaRss(): Promise<number[]> {
    await sleep(restMs);
    return Promise.all(this.#own.stack.files.map((files) => rss(files.process.pid)));
  }

  /** A new files replica against this catalogue: from spawn until GET /ready answers 200. */
  async freshReplica(): Promise<{ ms: number; rss: number }> {
    const { stack } = this.#own;
    // Behind internal TLS it has its certificate, as the stack's replicas, and is asked as health asks.
    const certificates = stack.tlsAs('files')?.dir;
    const through = stack.tlsAs('health')?.agentFor('files');
    const port = await freePort();
    const started = performance.now();
    const replica = await startProcess({
      name: 'files (fresh replica)',
      command: join(root, 'scripts/node-service'),
      args: [join(root, 'subgraphs/files/src/main.ts')],
      cwd: root,
      env: {
        PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'warn',
        ...stack.filesEnv,
        // Every service of the stack checks identities with the run's secret (filesEnv has it not).
        IDENTITY_SECRET: stack.identitySecret,
        ...(certificates ? { INTERNAL_TLS_DIR: certificates } : {}),
      },
    });
    const stop = this.#bench.cleanup(() => replica.stop());
    try {
      const scheme = certificates ? 'https' : 'http';
      await untilReady(`${scheme}://127.0.0.1:${port}/ready`, replica, through);
      const ms = performance.now() - started;
      return { ms, rss: await rss(replica.pid) };
    } finally {
      await stop();
    }
  }

  /** `runs` fresh replicas after one untimed start; each start's time and RSS once ready. */
  async freshReplicas(runs: number): Promise<{ ms: number[]; rss: number[] }> {
    await this.freshReplica();
    const result = { ms: [] as number[], rss: [] as number[] };
    for (let run = 0; run < runs; run += 1) {
      const { ms, rss: bytes } = await this.freshReplica();
      result.ms.push(ms);
      result.rss.push(bytes);
    }
    return result;
  }
}

async function untilReady(
  url: string,
  replica: ManagedProcess,
  through: Agent | undefined,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (replica.child.exitCode !== null)
      throw new Error(`a fresh files replica exited:\n${replica.output().slice(-2000)}`);
    try {
      const response = await httpGet(url, { through });
      response.resume();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(10);
  }
}

const ms = (value: number) =>
  value >= 60_000
    ? `${(value / 60_000).toFixed(0)} min`
    : value >= 1000
      ? `${(value / 1000).toFixed(1)} s`
      : `${value.toFixed(1)} ms`;
const mebibytes = (bytes: number) => `${(bytes / mib).toFixed(0)} MiB`;

function latencyRows(at: AtSize): Row[] {
  const label = at.count.toLocaleString('en');
  const sqlIs = (what: string) =>
    `the same SQL a files replica sends (${what}), straight to PostgreSQL from the bench`;
  const row = (name: string, measured: Paired, baselineIs: string, target: number): Row => ({
    scenario: 'catalogue',
    name,
    unit: 'ms',
    baselineIs,
    baseline: median(measured.baseline),
    filegraph: median(measured.filegraph),
    target: { kind: 'max', value: target },
    samples: measured,
    note: `p50 of ${samples}`,
  });
  return [
    row(
      `first page of ${pageSize} with totalCount, ${label} files`,
      at.firstPage,
      sqlIs('the page by name, and the count kept in folders'),
      20,
    ),
    row(
      `page of ${pageSize} after file ${at.depth.toLocaleString('en')}, ${label} files`,
      at.deepPage,
      sqlIs('the page after a name, and the count kept in folders'),
      30,
    ),
    row(
      `search "${at.term}" (10 of ${label}) with totalCount`,
      at.search,
      sqlIs('the page of matches by the trigram index, and their count'),
      100,
    ),
  ];
}

/** Buffers (8 KiB pages) the top node of a plan touched: its first "Buffers: shared …" line. */
function buffersOf(plan: string): number {
  const line = /Buffers: shared ([^\n]*)/.exec(plan)?.[1] ?? '';
  const count = (kind: string) => Number(new RegExp(`${kind}=(\\d+)`).exec(line)?.[1] ?? 0);
  return count('hit') + count('read');
}

/**
 * 10× further. The database's part of each time (its SQL baseline) grows
 * as the buffers its statements read did over the last ×10 (EXPLAIN
 * ANALYZE: the work, where the time itself is noisy on a shared machine);
 * one that did not grow stays flat. The rest (gateway, HAProxy, replica) is
 * kept; sizes grow by bytes per file; writing runs at the rate measured.
 */
function extrapolation(small: AtSize, large: AtSize): string[] {
  const factor = large.count / small.count;
  const next = large.count * factor;
  const label = (n: number) => n.toLocaleString('en');
  const buffers = (at: AtSize, query: Query) =>
    buffersOf(at.plans[query].page) + buffersOf(at.plans[query].count);
  const grown = (query: Query) => {
    const [before, now] = [buffers(small, query), buffers(large, query)];
    const growth = before > 0 ? Math.max(1, now / before) : 1;
    const database = median(large[query].baseline);
    const rest = Math.max(0, median(large[query].filegraph) - database);
    return `${ms(database * growth + rest)} (database ${ms(database)} × ${growth.toFixed(1)}: buffers read ${label(before)} → ${label(now)})`;
  };
  const perRow = (large.bytes.filesTable + large.bytes.filesIndexes) / large.count;
  const rowsPerSecond = (large.count - small.count) / large.seedSeconds;
  return [
    `catalogue: rows written straight into PostgreSQL (indexes kept up as they go in, then VACUUM ANALYZE): ${label(small.count)} in ${small.seedSeconds.toFixed(1)} s, ${label(large.count - small.count)} more in ${large.seedSeconds.toFixed(1)} s (${Math.round(rowsPerSecond)} rows/s)`,
    `catalogue: on disk at ${label(small.count)} / ${label(large.count)} files: files table ${mebibytes(small.bytes.filesTable)} / ${mebibytes(large.bytes.filesTable)}, its indexes ${mebibytes(small.bytes.filesIndexes)} / ${mebibytes(large.bytes.filesIndexes)} (${Math.round(perRow)} bytes per file in all), folders ${mebibytes(large.bytes.folders)}`,
    `catalogue: ${label(next)} files, extrapolated from the ${label(small.count)} and ${label(large.count)} runs, not measured: first page ≈ ${grown('firstPage')}, page after file ${label(next * 0.9)} ≈ ${grown('deepPage')}, search ≈ ${grown('search')}; files table and indexes ≈ ${((perRow * next) / 2 ** 30).toFixed(1)} GiB (bytes per file × ${label(next)}); writing its rows ≈ ${ms(((next - large.count) / rowsPerSecond) * 1000)} at the rate measured; a replica's start and RSS are not extrapolated: the rows above give them at 0 and ${label(large.count)} files`,
  ];
}

export const catalogue: Scenario = {
  name: 'catalogue',
  about: 'pages, search, replica memory and start-up with 100,000 and 1,000,000 files catalogued',
  // A stack of its own, whose catalogue starts empty, and the machine to itself.
  alone: true,
  async run(bench) {
    const { sizes, runs } = bench.config;
    bench.progress('catalogue', 'starting a native stack of its own (its catalogue starts empty)');
    const own = await startBenchStack(bench.logger);
    const stop = bench.cleanup(own.stop);
    try {
      const admin = await signInAdmin(own.stack);
      await answersFilesQueries(own.stack, admin);
      const catalogue = new CatalogueStack(bench, own, admin);

      catalogue.progress('0 files: queries, a quiet pause, then fresh replicas');
      await catalogue.exercise(samples);
      const rssAtZero = await catalogue.replicaRss();
      const readyAtZero = await catalogue.freshReplicas(runs);

      const measured: AtSize[] = [];
      let stored = 0;
      for (const count of sizes.catalogueFiles) {
        const seconds = await catalogue.seed(stored, count);
        measured.push(await catalogue.measure(count, seconds, count - stored));
        stored = count;
      }
      const largest = measured.at(-1) as AtSize;
      const label = largest.count.toLocaleString('en');
      catalogue.progress(`${label} files: the same queries, a quiet pause, then fresh replicas`);
      await catalogue.exercise(samples);
      const rssAtLargest = await catalogue.replicaRss();
      const readyAtLargest = await catalogue.freshReplicas(runs);

      const rows: Row[] = [
        ...measured.flatMap(latencyRows),
        {
          scenario: 'catalogue',
          name: `files replica RSS at rest, ${label} files (larger of ${rssAtLargest.length})`,
          unit: 'MiB',
          baselineIs: 'the same replicas with 0 files, after the same queries and pause',
          baseline: Math.max(...rssAtZero) / mib,
          filegraph: Math.max(...rssAtLargest) / mib,
          target: { kind: 'max-difference', value: 5 },
          samples: {
            baseline: rssAtZero.map((b) => b / mib),
            filegraph: rssAtLargest.map((b) => b / mib),
          },
        },
        {
          scenario: 'catalogue',
          name: `a new files replica ready (spawn → /ready 200), ${label} files`,
          unit: 'ms',
          baselineIs: 'the same start with 0 files in the catalogue',
          baseline: median(readyAtZero.ms),
          filegraph: median(readyAtLargest.ms),
          target: { kind: 'max', value: 2_000 },
          samples: { baseline: readyAtZero.ms, filegraph: readyAtLargest.ms },
        },
      ];
      const small = measured.at(-2);
      return {
        rows,
        notes: [
          ...(small ? extrapolation(small, largest) : []),
          `catalogue: a new replica's RSS once ready: ${mebibytes(median(readyAtZero.rss))} at 0 files, ${mebibytes(median(readyAtLargest.rss))} at ${label}`,
        ],
        details: {
          sizes: measured.map((at) => ({
            files: at.count,
            rowsWritten: at.seeded,
            seedSeconds: at.seedSeconds,
            bytes: at.bytes,
            term: at.term,
            plans: at.plans,
          })),
          'replica RSS at rest (MiB)': {
            zero: rssAtZero.map((b) => b / mib),
            largest: rssAtLargest.map((b) => b / mib),
          },
          'new replica once ready': { zero: readyAtZero, largest: readyAtLargest },
        },
      };
    } finally {
      await stop();
    }
  },
};
