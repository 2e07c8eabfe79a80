import { freePort } from './ports.ts';
import { startProcess, untilAnswers, type ManagedProcess } from './processes.ts';
import { requireTool } from './tools.ts';

/** The MinIO server scripts/tools/ensure.sh builds (pinned there): MINIO_BIN, else $GOPATH/bin, else ~/go/bin. */
export function minioBinary(): string {
  return requireTool('minio');
}

/**
 * MinIO's client, mc, built the same way: MC_BIN, else $GOPATH/bin, else
 * ~/go/bin. It creates the files service's own MinIO user (minio/files-user.sh).
 */
export function mcBinary(): string {
  return requireTool('mc');
}

export interface MinioServer {
  readonly endpoint: string;
  readonly port: number;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly dataDir: string;
  readonly process: ManagedProcess;
  /** The environment a files subgraph needs to use this server. */
  filesEnv(bucket?: string): Record<string, string>;
  /** Stops it cleanly. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder (after a kill or stop). */
  restart(): Promise<void>;
}

/** A real MinIO server on 127.0.0.1 with its own data folder, ready to serve. */
export async function startMinio(dataDir: string): Promise<MinioServer> {
  const port = await freePort();
  const consolePort = await freePort();
  const accessKey = 'filegraph-test';
  const secretKey = 'filegraph-test-secret';
  let current = await spawnMinio(dataDir, port, consolePort, accessKey, secretKey);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    accessKey,
    secretKey,
    dataDir,
    get process() {
      return current;
    },
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
      current = await spawnMinio(dataDir, port, consolePort, accessKey, secretKey);
    },
  };
}

async function spawnMinio(
  dataDir: string,
  port: number,
  consolePort: number,
  accessKey: string,
  secretKey: string,
): Promise<ManagedProcess> {
  const server = await startProcess({
    name: 'minio',
    command: minioBinary(),
    args: [
      'server',
      dataDir,
      '--address',
      `127.0.0.1:${port}`,
      '--console-address',
      `127.0.0.1:${consolePort}`,
    ],
    env: {
      MINIO_ROOT_USER: accessKey,
      MINIO_ROOT_PASSWORD: secretKey,
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
    },
    // MinIO prints its API address once listening; readiness is checked below.
    ready: (line) => line.includes('API:'),
    timeoutMs: 60_000,
  });
  // Liveness answers before MinIO can serve: wait for the cluster check.
  return untilAnswers(
    server,
    async () => (await fetch(`http://127.0.0.1:${port}/minio/health/cluster`)).ok,
    60_000,
  );
}
