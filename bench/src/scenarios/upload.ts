import { Readable } from 'node:stream';
import { formatBytes } from '@filegraph/shared/config';
import type { ApiFile } from '@filegraph/testing/filesClient';
import { chunksOf, md5, randomBuffer, sha256 } from '../content.ts';
import { paired } from '../measure.ts';
import { pool } from '../pool.ts';
import type { Scenario } from '../Scenario.ts';
import { median, mibPerSecond } from '../stats.ts';

/** Baseline objects live beside filegraph's bucket, on the same MinIO and disk. */
const baselineBucket = 'bench-baseline';

function checkStored(file: ApiFile | undefined, size: number, checksum: string, what: string) {
  if (!file || file.size !== size || file.checksum !== checksum)
    throw new Error(
      `${what}: stored ${JSON.stringify(file)}, expected ${size} bytes, sha256 ${checksum}`,
    );
}

export const upload: Scenario = {
  name: 'upload',
  about: 'upload throughput: one large file, many small ones at once',
  async run(bench) {
    const { api, direct, bucket } = await bench.sharedStack();
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
            {
              prefix: 'bench/upload/large',
            },
          );
          const ms = performance.now() - started;
          const file = answer.data?.uploadFiles[0];
          checkStored(
            file,
            large.length,
            largeSha,
            `upload of ${round}.bin (${JSON.stringify(answer.errors)})`,
          );
          const stored = await direct.stat(bucket, `bench/upload/large/${round}.bin`);
          if (stored.size !== large.length || stored.sha256 !== largeSha)
            throw new Error(`bench/upload/large/${round}.bin in MinIO: ${JSON.stringify(stored)}`);
          return mibPerSecond(large.length, ms);
        },
      },
      progress,
    );

    const { smallFile, smallFiles, smallConcurrency } = sizes;
    const small = Array.from({ length: smallFiles }, () => randomBuffer(smallFile));
    const smallSha = small.map(sha256);
    const smallMd5 = small.map(md5);
    const nameOf = (index: number) => `f-${String(index).padStart(5, '0')}.bin`;
    progress(`${smallFiles} × ${formatBytes(smallFile)} files, ${smallConcurrency} at a time`);
    const smallRuns = await paired(
      runs,
      {
        baseline: async (round) => {
          const started = performance.now();
          await pool(smallFiles, smallConcurrency, async (index) => {
            const content = small[index] as Buffer;
            const etag = await direct.put(
              baselineBucket,
              `small/${round}/${nameOf(index)}`,
              content,
              content.length,
            );
            // A single PUT's ETag is the MD5 of what MinIO stored.
            if (etag !== smallMd5[index])
              throw new Error(`baseline small/${round}/${nameOf(index)}: ETag ${etag}`);
          });
          return smallFiles / ((performance.now() - started) / 1000);
        },
        filegraph: async (round) => {
          const prefix = `bench/upload/small/${round}`;
          const started = performance.now();
          await pool(smallFiles, smallConcurrency, async (index) => {
            const answer = await api.upload(
              [{ filename: nameOf(index), content: small[index] as Buffer }],
              {
                prefix,
              },
            );
            checkStored(
              answer.data?.uploadFiles[0],
              smallFile,
              smallSha[index] as string,
              `upload of ${prefix}/${nameOf(index)} (${JSON.stringify(answer.errors)})`,
            );
          });
          const perSecond = smallFiles / ((performance.now() - started) / 1000);
          // What the API answered is checked above; this checks what MinIO really holds.
          await pool(smallFiles, 32, async (index) => {
            const stored = await direct.stat(bucket, `${prefix}/${nameOf(index)}`);
            if (stored.size !== smallFile || stored.sha256 !== smallSha[index])
              throw new Error(`${prefix}/${nameOf(index)} in MinIO: ${JSON.stringify(stored)}`);
          });
          return perSecond;
        },
      },
      progress,
    );

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
        {
          scenario: 'upload',
          name: `upload ${smallFiles} × ${formatBytes(smallFile)}, ${smallConcurrency} at once`,
          unit: 'files/s',
          baselineIs: `minio-js putObject(buffer, size), ${smallConcurrency} at once`,
          baseline: median(smallRuns.baseline),
          filegraph: median(smallRuns.filegraph),
          target: { kind: 'min-ratio', value: 0.5 },
          samples: smallRuns,
        },
      ],
    };
  },
};
