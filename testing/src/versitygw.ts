import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MinioServer } from '@filegraph/processes/minio';
import { freePort } from '@filegraph/processes/ports';
import { startProcess, untilAnswers, type ManagedProcess } from '@filegraph/processes/processes';
import { requireTool } from '@filegraph/processes/tools';

/** The versitygw scripts/tools/ensure.sh builds (pinned there): VERSITYGW_BIN, else $GOPATH/bin, else ~/go/bin. */
export function versitygwBinary(): string {
  return requireTool('versitygw');
}

/** An S3 server other than MinIO, with the same handle as startMinio's. */
export type VersitygwServer = MinioServer;

/**
 * A real versitygw (Versity S3 Gateway) on 127.0.0.1, its posix backend
 * keeping each bucket as a folder of `dataDir` (metadata in extended
 * attributes), ready to serve S3 with root credentials.
 */
export async function startVersitygw(dataDir: string): Promise<VersitygwServer> {
  const data = resolve(dataDir);
  await mkdir(data, { recursive: true });
  const port = await freePort();
  const accessKey = 'filegraph-test';
  const secretKey = 'filegraph-test-secret';
  const endpoint = `http://127.0.0.1:${port}`;
  let current = await spawnVersitygw(data, port, accessKey, secretKey);
  return {
    endpoint,
    port,
    accessKey,
    secretKey,
    dataDir: data,
    get process() {
      return current;
    },
    // The files subgraph's S3 driver takes any S3 server under these names.
    filesEnv: (bucket = 'filegraph') => ({
      STORAGE: 'minio',
      MINIO_ENDPOINT: endpoint,
      MINIO_ACCESS_KEY: accessKey,
      MINIO_SECRET_KEY: secretKey,
      MINIO_BUCKET: bucket,
    }),
    stop: () => current.stop(),
    async restart() {
      await current.stop();
      current = await spawnVersitygw(data, port, accessKey, secretKey);
    },
  };
}

async function spawnVersitygw(
  dataDir: string,
  port: number,
  accessKey: string,
  secretKey: string,
): Promise<ManagedProcess> {
  const server = await startProcess({
    name: 'versitygw',
    command: versitygwBinary(),
    args: ['--port', `127.0.0.1:${port}`, '--quiet', 'posix', dataDir],
    // From the environment rather than flags, so that `ps` does not show the secret.
    env: { ROOT_ACCESS_KEY: accessKey, ROOT_SECRET_KEY: secretKey },
    timeoutMs: 30_000,
  });
  // Ready when it answers S3: an unsigned ListBuckets gets S3's AccessDenied error document.
  return untilAnswers(
    server,
    async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        signal: AbortSignal.timeout(2_000),
      });
      return (await response.text()).includes('<Code>AccessDenied</Code>');
    },
    30_000,
  );
}
