import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';

/**
 * A process that grew its heap in a burst and then went quiet hands the
 * memory back within a few seconds (manageMemory), rather than keeping it
 * until memory runs short.
 */
test('after a burst, an idle service hands its grown heap back to the system', async () => {
  const script = `
    import { manageMemory } from ${JSON.stringify(new URL('../src/garbage.ts', import.meta.url).href)};
    const stop = manageMemory();
    let burst = Array.from({ length: 1_500_000 }, (_, i) => ({ i, text: 'x' + i }));
    const peak = process.memoryUsage.rss();
    burst = undefined;
    setTimeout(() => {
      console.log(JSON.stringify({ peak, rested: process.memoryUsage.rss() }));
      stop();
    }, 4_000);
  `;
  const child = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0);
  const { peak, rested } = JSON.parse(output) as { peak: number; rested: number };
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  assert.ok(
    peak - rested > 50 * 2 ** 20,
    `RSS ${mib(peak)} MiB at the peak, still ${mib(rested)} MiB after 4 s at rest`,
  );
});
