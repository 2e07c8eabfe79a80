import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort } from '@filegraph/processes/ports';

describe('freePort, the port a program is told up front', () => {
  it('when many are picked, then none is in the range outgoing connections take their local port from, and each can be bound', async () => {
    const [low, high] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'))
      .trim()
      .split(/\s+/)
      .map(Number) as [number, number];
    const ports = await Promise.all(Array.from({ length: 200 }, () => freePort()));
    const inside = ports.filter((port) => port >= low && port <= high);
    assert.deepEqual(inside, [], `ephemeral range ${low}-${high}`);
    for (const port of ports.slice(0, 20)) {
      const server = createServer();
      await new Promise<void>((resolve, reject) =>
        server.once('error', reject).listen(port, '127.0.0.1', resolve),
      );
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('when 2,000 are picked, then none is handed out twice', async () => {
    // 2,000 random picks from ~28,000 ports would repeat one almost surely: a stack's
    // Prometheus, started last, once found its port taken that way and could not start.
    const ports: number[] = [];
    for (let index = 0; index < 2_000; index += 1) ports.push(await freePort());
    assert.equal(new Set(ports).size, ports.length);
  });
});
