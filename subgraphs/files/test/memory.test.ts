import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { formatBytes } from '@filegraph/shared/config';
import { randomContent } from '@filegraph/testing/graphql';
import { FilesClient } from '@filegraph/testing/filesClient';
import { signedAs, testCallers } from '@filegraph/testing/identity';
import { startMinio, type MinioServer } from '@filegraph/processes/minio';
import { peakRss } from '@filegraph/processes/processes';
import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

const gib = 2 ** 30;
const memoryBound = 150 * 2 ** 20;

/**
 * A 1 GiB upload streams through the files subgraph: its peak resident
 * memory (VmHWM, the high-water mark the kernel keeps) stays under 150 MiB.
 */
describe('streamed uploads', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  for (const driver of ['disk', 'minio'] as const) {
    it(`when 1 GiB is uploaded to ${driver}, then every byte is stored and the files process stays under 150 MiB`, async (t) => {
      const data = await tempDir(`memory-${driver}`);
      cleanups.push(data.remove);
      let minio: MinioServer | undefined;
      if (driver === 'minio') {
        minio = await startMinio(`${data.path}/minio`);
        cleanups.push(() => (minio as MinioServer).stop());
      }
      const env = { ...(minio ? minio.filesEnv() : { STORAGE: 'disk' }), DATA_DIR: data.path };
      // Measured as every start after the first runs: with Node's compile cache warm.
      await (await startService('files', env)).stop();
      const files = await startService('files', env);
      cleanups.push(files.stop);
      const api = new FilesClient(files.url, { headers: signedAs(testCallers.alice) });

      const source = randomContent(gib);
      const started = performance.now();
      const stored = await api.put('one-gib.bin', source.content);
      const seconds = (performance.now() - started) / 1000;
      const peak = await peakRss(files.process.pid);
      t.diagnostic(
        `${driver}: 1 GiB in ${seconds.toFixed(1)} s (${(1024 / seconds).toFixed(0)} MiB/s), files process peak RSS ${formatBytes(peak)}`,
      );

      assert.equal(stored.size, gib);
      assert.equal(stored.checksum, source.sha256());
      assert.ok(peak < memoryBound, `peak RSS ${formatBytes(peak)} is over 150 MiB`);
    });
  }
});
