import { setTimeout as sleep } from 'node:timers/promises';
import { formatBytes } from '@filegraph/shared/config';
import { randomContent } from '@filegraph/testing/graphql';
import { peakRss } from '@filegraph/processes/processes';
import { resetPeak, rss } from '../processMemory.ts';
import type { Scenario } from '../Scenario.ts';
import { median } from '../stats.ts';

const mib = 2 ** 20;
const restMs = 5_000;

export const memory: Scenario = {
  name: 'memory',
  about: 'peak RSS of the gateway and of a files replica during one large upload',
  async run(bench) {
    const { stack, api } = await bench.sharedStack();
    const { sizes, runs } = bench.config;
    const size = sizes.memoryFile;
    const label = formatBytes(size);
    const progress = (message: string) => bench.progress('memory', message);

    const put = async (name: string, bytes: number) => {
      const content = randomContent(bytes);
      const answer = await api.upload([{ filename: name, content: content.content }], {
        prefix: 'bench/memory',
      });
      const file = answer.data?.uploadFiles[0];
      if (!file || file.size !== bytes || file.checksum !== content.sha256())
        throw new Error(`upload of ${name}: ${JSON.stringify(answer.errors ?? file)}`);
    };

    progress('warm-up (16 MiB)');
    await put('warm-up.bin', Math.min(size, 16 * mib));
    const gateway = { idle: [] as number[], peak: [] as number[] };
    const replica = { idle: [] as number[], peak: [] as number[] };
    for (let run = 1; run <= runs; run += 1) {
      progress(`${label} upload, run ${run}/${runs}`);
      const gatewayPid = stack.gateway.process.pid;
      const replicaPids = stack.files.map((files) => files.process.pid);
      // At rest, as a service is between bursts: after 2 s quiet it hands back
      // the heap an earlier burst grew (shared/garbage.ts).
      await sleep(restMs);
      const idle = new Map<number, number>();
      for (const pid of [gatewayPid, ...replicaPids]) {
        idle.set(pid, await rss(pid));
        await resetPeak(pid);
      }
      await put(`run-${run}.bin`, size);
      gateway.idle.push(idle.get(gatewayPid) as number);
      gateway.peak.push(await peakRss(gatewayPid));
      // The replica HAProxy gave the upload to is the one whose peak rose.
      const peaks = await Promise.all(replicaPids.map((pid) => peakRss(pid)));
      const busiest = peaks.indexOf(Math.max(...peaks));
      replica.idle.push(idle.get(replicaPids[busiest] as number) as number);
      replica.peak.push(peaks[busiest] as number);
    }

    const row = (who: string, measured: { idle: number[]; peak: number[] }) => ({
      scenario: 'memory',
      name: `${who} peak RSS, ${label} upload`,
      unit: 'MiB' as const,
      baselineIs: `${who}: its RSS just before the upload`,
      baseline: median(measured.idle) / mib,
      // The worst run counts: a peak that happens once still needs the memory.
      filegraph: Math.max(...measured.peak) / mib,
      target: { kind: 'max' as const, value: 150 },
      samples: {
        baseline: measured.idle.map((b) => b / mib),
        filegraph: measured.peak.map((b) => b / mib),
      },
      note: `max of ${runs}`,
    });
    return { rows: [row('gateway', gateway), row('files replica', replica)] };
  },
};
