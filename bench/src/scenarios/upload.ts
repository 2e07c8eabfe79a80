import { Readable } from 'node:stream';
import { batchLimitsFor, planBatches } from '@filegraph/frontend/src/uploads/batches.ts';
import { formatBytes } from '@filegraph/shared/config';
import type { ApiFile } from '@filegraph/testing/filesClient';
import type { SharedStack } from '../BenchContext.ts';
import { chunksOf, md5, randomBuffer, sha256 } from '../content.ts';
import { dataOf, postGraphql } from '../http.ts';
import { cpuAtRest, cpuBetween, cpuUse, describeCpu, medianCpu, type CpuUse } from '../cpu.ts';
import { paired, type Paired } from '../measure.ts';
import { pool } from '../pool.ts';
import type { Row } from '../Row.ts';
import type { Scenario } from '../Scenario.ts';
import { median, mibPerSecond } from '../stats.ts';

/** Baseline objects live beside filegraph's bucket, on the same MinIO and disk. */
const baselineBucket = 'bench-baseline';

/**
 * Requests the web UI keeps under way at once (the default `concurrency`
 * of frontend/src/uploads/uploadQueue.ts, which it does not export).
 */
const webUiRequests = 3;

function checkStored(file: ApiFile | undefined, size: number, checksum: string, what: string) {
  if (!file || file.size !== size || file.checksum !== checksum)
    throw new Error(
      `${what}: stored ${JSON.stringify(file)}, expected ${size} bytes, sha256 ${checksum}`,
    );
}

/** Small files in memory, with what MinIO and the API must say of each. */
interface SmallFiles {
  readonly contents: readonly Buffer[];
  readonly sha256: readonly string[];
  readonly md5: readonly string[];
}

function smallFiles(count: number, size: number): SmallFiles {
  const contents = Array.from({ length: count }, () => randomBuffer(size));
  return { contents, sha256: contents.map(sha256), md5: contents.map(md5) };
}

const nameOf = (index: number) => `f-${String(index).padStart(5, '0')}.bin`;

/**
 * What the API answered is checked as each request returns; this checks
 * what is really stored: a row for every file under `prefix`, and under
 * its key in MinIO the right size and MD5 (a small file is one PUT).
 */
async function checkInBucket(shared: SharedStack, prefix: string, files: SmallFiles) {
  const rows = await shared.db.filesUnder(`${prefix}/`);
  if (rows.length !== files.contents.length)
    throw new Error(`${prefix}/: ${rows.length} files in the catalogue`);
  await pool(rows.length, 32, async (index) => {
    const row = rows[index];
    const expected = files.contents[index];
    if (!row || !expected || row.name !== `${prefix}/${nameOf(index)}`)
      throw new Error(`${prefix}/: file ${index} is ${row?.name}`);
    const stored = await shared.direct.stat(shared.bucket, row.key);
    if (stored.size !== expected.length || stored.etag !== files.md5[index])
      throw new Error(`${row.name} in MinIO (${row.key}): ${JSON.stringify(stored)}`);
  });
}

/** The same files straight to MinIO, `concurrency` at a time; files per second. */
async function putDirect(
  shared: SharedStack,
  folder: string,
  files: SmallFiles,
  concurrency: number,
): Promise<number> {
  const started = performance.now();
  await pool(files.contents.length, concurrency, async (index) => {
    const content = files.contents[index] as Buffer;
    const name = `${folder}/${nameOf(index)}`;
    const etag = await shared.direct.put(baselineBucket, name, content, content.length);
    // A single PUT's ETag is the MD5 of what MinIO stored.
    if (etag !== files.md5[index]) throw new Error(`baseline ${name}: ETag ${etag}`);
  });
  return files.contents.length / ((performance.now() - started) / 1000);
}

/** Sends each group of files as one uploadFiles request, `concurrency` requests at a time. */
async function uploadGroups(
  shared: SharedStack,
  prefix: string,
  files: SmallFiles,
  groups: ReadonlyArray<readonly number[]>,
  concurrency: number,
): Promise<number> {
  const started = performance.now();
  await pool(groups.length, concurrency, async (group) => {
    const indexes = groups[group] as readonly number[];
    const answer = await shared.api.upload(
      indexes.map((index) => ({
        filename: nameOf(index),
        content: files.contents[index] as Buffer,
      })),
      { prefix },
    );
    const stored = answer.data?.uploadFiles ?? [];
    indexes.forEach((index, position) =>
      checkStored(
        stored[position],
        files.contents[index]?.length ?? 0,
        files.sha256[index] as string,
        `upload of ${prefix}/${nameOf(index)} (${JSON.stringify(answer.errors)})`,
      ),
    );
  });
  return files.contents.length / ((performance.now() - started) / 1000);
}

/** A run paired with the same files straight to MinIO; per second and CPU. */
interface SmallRun {
  readonly measured: Paired;
  /** CPU seconds per 1,000 files by part (medians over the measured runs). */
  readonly cpu: { readonly baseline: CpuUse; readonly filegraph: CpuUse };
}

interface DirectTurns {
  /** Where under the baseline bucket the direct PUTs go, a folder per round. */
  readonly folder: string;
  readonly directConcurrency: number;
  /** What the stack uses at rest, per second, taken off what a run used. */
  readonly rest: CpuUse;
}

/**
 * Takes turns between the files straight to MinIO, `directConcurrency` at
 * once, and `filegraph` (which does as many requests or files and returns
 * how many per second), keeping what each part of the stack used meanwhile.
 */
async function pairedWithDirect(
  shared: SharedStack,
  runs: number,
  progress: (message: string) => void,
  files: SmallFiles,
  how: DirectTurns,
  filegraph: (round: string) => Promise<number>,
): Promise<SmallRun> {
  const cpu = { baseline: [] as CpuUse[], filegraph: [] as CpuUse[] };
  const perThousand = 1000 / files.contents.length;
  // The CPU of the timed part only; the warm-up's is not kept.
  const withCpu = async (into: CpuUse[], round: string, work: () => Promise<number>) => {
    const before = await cpuUse(shared.stack);
    const started = performance.now();
    const perSecond = await work();
    const seconds = (performance.now() - started) / 1000;
    const after = await cpuUse(shared.stack);
    if (round !== 'warm-up')
      into.push(cpuBetween(before, after, { seconds, rest: how.rest, scale: perThousand }));
    return perSecond;
  };
  const measured = await paired(
    runs,
    {
      baseline: (round) =>
        withCpu(cpu.baseline, round, () =>
          putDirect(shared, `${how.folder}/${round}`, files, how.directConcurrency),
        ),
      filegraph: (round) => withCpu(cpu.filegraph, round, () => filegraph(round)),
    },
    progress,
  );
  return {
    measured,
    cpu: { baseline: medianCpu(cpu.baseline), filegraph: medianCpu(cpu.filegraph) },
  };
}

/** Small files uploaded through filegraph in `groups`, `concurrency` requests at once, then checked. */
function smallRun(
  shared: SharedStack,
  runs: number,
  progress: (message: string) => void,
  files: SmallFiles,
  how: DirectTurns & {
    readonly groups: ReadonlyArray<readonly number[]>;
    readonly concurrency: number;
  },
): Promise<SmallRun> {
  return pairedWithDirect(shared, runs, progress, files, how, async (round) => {
    const prefix = `bench/upload/${how.folder}/${round}`;
    const perSecond = await uploadGroups(shared, prefix, files, how.groups, how.concurrency);
    await checkInBucket(shared, prefix, files);
    return perSecond;
  });
}

/**
 * The cheapest request a files replica answers. It crosses the same hops as
 * an upload (gateway, identity, HAProxy, a replica, one catalogue read) but
 * writes nothing and stores no byte, so one upload per request can never be
 * faster: its rate is the ceiling of that row on this machine.
 */
const cheapestFilesQuery = '{ files(first: 1) { totalCount } }';

function cheapestRequests(shared: SharedStack, count: number, concurrency: number) {
  return async (): Promise<number> => {
    const started = performance.now();
    await pool(count, concurrency, async () => {
      const answer = await postGraphql<{ files: { totalCount: number } }>(
        `${shared.stack.url}/graphql`,
        cheapestFilesQuery,
        {},
        { headers: shared.admin.headers() },
      );
      dataOf(answer, cheapestFilesQuery);
    });
    return count / ((performance.now() - started) / 1000);
  };
}

/** How the web UI groups these files into requests (frontend/src/uploads/batches.ts). */
async function webUiBatches(
  shared: SharedStack,
  files: SmallFiles,
): Promise<{ groups: number[][]; maxFiles: number }> {
  const answer = await postGraphql<{ uploadLimits: { maxFiles: number } }>(
    `${shared.stack.url}/graphql`,
    '{ uploadLimits { maxFiles } }',
    {},
    { headers: shared.admin.headers() },
  );
  const { maxFiles } = dataOf(answer, 'uploadLimits').uploadLimits;
  const items = files.contents.map((content, index) => ({
    index,
    // The prefix is the same for all; its name does not change the grouping.
    name: `folder/${nameOf(index)}`,
    prefix: 'folder/',
    size: content.length,
  }));
  const groups = planBatches(items, batchLimitsFor(maxFiles)).map((group) =>
    group.map((item) => item.index),
  );
  return { groups, maxFiles };
}

function filesPerSecondRow(name: string, baselineIs: string, measured: Paired, note?: string): Row {
  return {
    scenario: 'upload',
    name,
    unit: 'files/s',
    baselineIs,
    baseline: median(measured.baseline),
    filegraph: median(measured.filegraph),
    target: { kind: 'min-ratio', value: 0.5 },
    samples: measured,
    ...(note ? { note } : {}),
  };
}

export const upload: Scenario = {
  name: 'upload',
  about: 'upload throughput: one large file, many small ones one per request and in batches',
  async run(bench) {
    const shared = await bench.sharedStack();
    const { api, direct, bucket, db } = shared;
    const { sizes, runs } = bench.config;
    const progress = (message: string) => bench.progress('upload', message);
    await direct.ensureBucket(baselineBucket);

    const large = randomBuffer(sizes.largeFile);
    const largeSha = sha256(large);
    const largeLabel = formatBytes(large.length);
    progress(`${largeLabel} file`);
    const largeRuns = await paired(
      runs,
      {
        baseline: async (round) => {
          const name = `large/${round}.bin`;
          const started = performance.now();
          await direct.put(baselineBucket, name, Readable.from(chunksOf(large)), large.length);
          const ms = performance.now() - started;
          const stored = await direct.stat(baselineBucket, name);
          if (stored.size !== large.length)
            throw new Error(`baseline ${name}: size ${stored.size}`);
          return mibPerSecond(large.length, ms);
        },
        filegraph: async (round) => {
          const started = performance.now();
          const answer = await api.upload(
            [{ filename: `${round}.bin`, content: chunksOf(large) }],
            { prefix: 'bench/upload/large' },
          );
          const ms = performance.now() - started;
          const file = answer.data?.uploadFiles[0];
          checkStored(
            file,
            large.length,
            largeSha,
            `upload of ${round}.bin (${JSON.stringify(answer.errors)})`,
          );
          const row = await db.file(`bench/upload/large/${round}.bin`);
          const stored = row && (await direct.stat(bucket, row.key));
          if (row?.checksum !== largeSha || stored?.size !== large.length)
            throw new Error(`bench/upload/large/${round}.bin: ${JSON.stringify({ row, stored })}`);
          return mibPerSecond(large.length, ms);
        },
      },
      progress,
    );

    const { smallFile, smallFiles: count, smallFolderFiles, smallConcurrency } = sizes;
    const small = smallFiles(count, smallFile);
    const smallLabel = `${count.toLocaleString('en')} × ${formatBytes(smallFile)}`;
    const direct16 = `minio-js putObject(buffer, size), ${smallConcurrency} at once`;
    progress('the stack at rest for 5 s, for its CPU use when idle');
    const rest = await cpuAtRest(shared.stack, 5_000);
    progress(`${smallLabel} files, one per request, ${smallConcurrency} at a time`);
    const single = await smallRun(shared, runs, progress, small, {
      rest,
      folder: 'small',
      groups: small.contents.map((_, index) => [index]),
      concurrency: smallConcurrency,
      directConcurrency: smallConcurrency,
    });

    progress(`${cheapestFilesQuery} through the gateway, ${smallConcurrency} at a time`);
    const ceiling = await pairedWithDirect(
      shared,
      runs,
      progress,
      small,
      { rest, folder: 'ceiling', directConcurrency: smallConcurrency },
      cheapestRequests(shared, small.contents.length, smallConcurrency),
    );

    const batched = async (files: SmallFiles, label: string, folder: string) => {
      const { groups, maxFiles } = await webUiBatches(shared, files);
      const plan = `${groups.length} requests of ≤ ${Math.max(...groups.map((g) => g.length))}, ${webUiRequests} at once`;
      progress(`${label} files in the web UI's batches: ${plan}`);
      const run = await smallRun(shared, runs, progress, files, {
        rest,
        folder,
        groups,
        concurrency: webUiRequests,
        directConcurrency: smallConcurrency,
      });
      return { ...run, plan, maxFiles };
    };
    const batches = await batched(small, smallLabel, 'batched');
    const folder = smallFiles(smallFolderFiles, smallFile);
    const folderLabel = `${smallFolderFiles.toLocaleString('en')} × ${formatBytes(smallFile)}`;
    const folderBatches = await batched(folder, folderLabel, 'folder');
    const cpuNote = (what: string, run: SmallRun) =>
      `upload: CPU per 1,000 files (less the stack's use at rest), ${what}: straight to MinIO ${describeCpu(run.cpu.baseline)}; through filegraph ${describeCpu(run.cpu.filegraph)}`;

    return {
      rows: [
        {
          scenario: 'upload',
          name: `upload ${largeLabel} file`,
          unit: 'MiB/s',
          baselineIs: 'minio-js putObject(stream, size) to the same MinIO',
          baseline: median(largeRuns.baseline),
          filegraph: median(largeRuns.filegraph),
          target: { kind: 'min-ratio', value: 0.8 },
          samples: largeRuns,
        },
        filesPerSecondRow(
          `upload ${smallLabel}, one per request, ${smallConcurrency} at once`,
          direct16,
          single.measured,
        ),
        {
          scenario: 'upload',
          name: `ceiling of one upload per request: ${cheapestFilesQuery}, ${smallConcurrency} at once`,
          unit: 'req/s',
          baselineIs: direct16,
          baseline: median(ceiling.measured.baseline),
          filegraph: median(ceiling.measured.filegraph),
          target: { kind: 'none' },
          samples: ceiling.measured,
        },
        filesPerSecondRow(
          `upload ${smallLabel} in the web UI's batches`,
          direct16,
          batches.measured,
          batches.plan,
        ),
        filesPerSecondRow(
          `upload a folder of ${folderLabel} in the web UI's batches`,
          direct16,
          folderBatches.measured,
          folderBatches.plan,
        ),
      ],
      notes: [
        cpuNote(`${smallLabel} one per request`, single),
        `upload: the ceiling row crosses the same hops as an upload (gateway, signed identity, HAProxy, a replica, one catalogue read) but writes nothing and stores no byte: one upload per request cannot be faster. CPU per 1,000 of these requests (less the stack's use at rest): ${describeCpu(ceiling.cpu.filegraph)}`,
        cpuNote(`${smallLabel} in batches`, batches),
        cpuNote(`${folderLabel} in batches`, folderBatches),
        `upload: batches as the web UI makes them (planBatches with batchLimitsFor(${batches.maxFiles}), the server's maxFiles, from frontend/src/uploads/batches.ts), sent as ${webUiRequests} requests at once like its upload queue`,
      ],
      details: {
        'CPU seconds per second at rest': rest,
        'CPU seconds per 1,000 small files, less the use at rest': {
          [`${smallLabel} one per request`]: single.cpu,
          [`${cheapestFilesQuery} (per 1,000 requests)`]: ceiling.cpu,
          [`${smallLabel} in batches`]: batches.cpu,
          [`${folderLabel} in batches`]: folderBatches.cpu,
        },
      },
    };
  },
};
