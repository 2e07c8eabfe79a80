import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** Ports below this are left to the system's own services. */
const lowest = 10_000;

/**
 * Every port this process handed out. A port is free when it is picked but
 * not bound until its program starts, maybe a minute later (a stack starts
 * Prometheus last); picking it again meanwhile would give two programs one
 * port, and the second could not start.
 */
const handedOut = new Set<number>();

/**
 * The ports outside Linux's ephemeral range (`ip_local_port_range`), as
 * [from, to] ranges: the kernel gives those to outgoing connections as their
 * local end, so a port picked there can be taken by any connection between
 * being picked and being bound, and the program told to listen on it cannot
 * start for as long as that connection lasts. Elsewhere than on Linux, none:
 * the kernel picks (port 0).
 */
async function outsideEphemeral(): Promise<Array<readonly [number, number]>> {
  let text: string;
  try {
    text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
  } catch {
    return [];
  }
  const [low = Number.NaN, high = Number.NaN] = text.trim().split(/\s+/).map(Number);
  if (!Number.isInteger(low) || !Number.isInteger(high)) return [];
  const ranges: Array<readonly [number, number]> = [];
  if (low - 1 >= lowest) ranges.push([lowest, low - 1]);
  if (high + 1 <= 65_535) ranges.push([Math.max(high + 1, lowest), 65_535]);
  return ranges;
}

function pick(ranges: ReadonlyArray<readonly [number, number]>): number {
  const sizes = ranges.map(([from, to]) => to - from + 1);
  let at = Math.floor(Math.random() * sizes.reduce((sum, size) => sum + size, 0));
  for (const [index, [from]] of ranges.entries()) {
    const size = sizes[index] ?? 0;
    if (at < size) return from + at;
    at -= size;
  }
  throw new Error('no port range');
}

/** Listens on `port` (0: any) on 127.0.0.1 and closes again; the port, or undefined when taken. */
async function tryPort(port: number): Promise<number | undefined> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (!bound) return undefined;
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address !== null && typeof address !== 'string' ? address.port : undefined;
}

/**
 * A port that is free on 127.0.0.1 right now, for programs that must be told
 * their port up front (MinIO, HAProxy, Mailpit …), chosen where no outgoing
 * connection can take it before the program binds it. Services of ours take
 * port 0 instead: they bind at once.
 */
export async function freePort(): Promise<number> {
  const ranges = await outsideEphemeral();
  for (let attempt = 0; ranges.length > 0 && attempt < 50; attempt += 1) {
    const picked = pick(ranges);
    if (handedOut.has(picked)) continue;
    const port = await tryPort(picked);
    if (port !== undefined) return handOut(port);
  }
  const port = await tryPort(0);
  if (port === undefined || handedOut.has(port)) throw new Error('no free port on 127.0.0.1');
  return handOut(port);
}

function handOut(port: number): number {
  handedOut.add(port);
  return port;
}
