import { createServer } from 'node:net';

/**
 * A port that is free on 127.0.0.1 right now, for programs that must be told
 * their port up front (MinIO, HAProxy). Services of ours take port 0 instead.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
