import { formatBytes } from '@filegraph/shared/config';
import { consume, randomBuffer, sha256 } from '../content.ts';
import { httpGet } from '../http.ts';
import { paired } from '../measure.ts';
import type { Scenario } from '../Scenario.ts';
import { median, mibPerSecond } from '../stats.ts';

export const download: Scenario = {
  name: 'download',
  about: 'download throughput of one large file',
  async run(bench) {
    const { stack, admin, api, direct, bucket, db } = await bench.sharedStack();
    const { sizes, runs } = bench.config;
    const progress = (message: string) => bench.progress('download', message);
    const content = randomBuffer(sizes.downloadFile);
    const expected = sha256(content);
    const label = formatBytes(content.length);
    progress(`storing a ${label} file through the API`);
    const file = await api.put('file.bin', content, { prefix: 'bench/download' });
    if (file.checksum !== expected) throw new Error(`stored ${JSON.stringify(file)}`);
    // Its bytes are under a key of their own, which the catalogue knows.
    const row = await db.file(file.name);
    if (!row) throw new Error(`${file.name} is not in the catalogue`);

    const check = (got: { bytes: number; sha256: string }, what: string) => {
      if (got.bytes !== content.length || got.sha256 !== expected)
        throw new Error(`${what}: got ${got.bytes} bytes, sha256 ${got.sha256}`);
    };
    const measured = await paired(
      runs,
      {
        baseline: async () => {
          const started = performance.now();
          check(await consume(await direct.get(bucket, row.key)), 'direct getObject');
          return mibPerSecond(content.length, performance.now() - started);
        },
        filegraph: async () => {
          const started = performance.now();
          const response = await httpGet(`${stack.url}${file.url}`, {
            headers: admin.headers(),
          });
          if (response.statusCode !== 200)
            throw new Error(`GET ${file.url}: HTTP ${response.statusCode}`);
          check(await consume(response), `GET ${file.url}`);
          return mibPerSecond(content.length, performance.now() - started);
        },
      },
      progress,
    );
    return {
      rows: [
        {
          scenario: 'download',
          name: `download ${label} file`,
          unit: 'MiB/s',
          baselineIs: 'minio-js getObject from the same MinIO (both sides hash what they read)',
          baseline: median(measured.baseline),
          filegraph: median(measured.filegraph),
          target: { kind: 'min-ratio', value: 0.8 },
          samples: measured,
        },
      ],
    };
  },
};
