import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { tokenHeaders } from '@filegraph/testing/accounts';
import { FilesClient } from '@filegraph/testing/filesClient';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

/** The launcher npm links as node_modules/.bin/filegraph. */
export const bin = fileURLToPath(new URL('../bin/filegraph', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as bytes (get -o -). */
  readonly bytes: Buffer;
  /** stdout parsed as JSON (--json). */
  json<T = Record<string, unknown>>(): T;
}

/**
 * Runs the CLI as a real child process, the way a script does: through the
 * launcher, with pipes (no terminal), in `cwd`, with only PATH and `env`
 * from the environment. `peakRss` is called with the process's peak
 * resident memory in bytes (Linux), read as it runs.
 */
export function filegraph(
  args: readonly string[],
  options: {
    cwd?: string;
    env?: Record<string, string>;
    peakRss?: (bytes: number) => void;
    /** Sees the child (to signal it). */
    started?: (child: ChildProcess) => void;
  } = {},
): Promise<CliRun> {
  const child = spawn(bin, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.started?.(child);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const watch =
    options.peakRss &&
    setInterval(async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      if (kib) options.peakRss?.(Number(kib) * 1024);
    }, 20);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (watch) clearInterval(watch);
      const bytes = Buffer.concat(stdout);
      const out = bytes.toString('utf8');
      resolve({
        code,
        stdout: out,
        stderr: Buffer.concat(stderr).toString('utf8'),
        bytes,
        json<T>() {
          try {
            return JSON.parse(out) as T;
          } catch {
            throw new Error(
              `stdout is not JSON: ${out.slice(0, 500)}\nstderr: ${Buffer.concat(stderr).toString('utf8').slice(0, 500)}`,
            );
          }
        },
      });
    });
  });
}

/**
 * The embedded default (`npm start`) in a temp DATA_DIR, an API token of
 * its first admin (made as a user makes one: signed in, createToken), and
 * the API for checking what it holds, as that admin.
 */
export async function startFilegraph(): Promise<{
  url: string;
  token: string;
  /** FILEGRAPH_URL and FILEGRAPH_TOKEN, as a script sets them. */
  env: { FILEGRAPH_URL: string; FILEGRAPH_TOKEN: string };
  api: FilesClient;
  service: RunningService;
  stop(): Promise<void>;
}> {
  const data = await tempDir('cli-data');
  const service = await startService('embedded', { DATA_DIR: data.path });
  const headers = await tokenHeaders(service.url);
  const token = (headers().authorization ?? '').replace(/^Bearer /, '');
  return {
    url: service.url,
    token,
    env: { FILEGRAPH_URL: service.url, FILEGRAPH_TOKEN: token },
    api: new FilesClient(service.url, { headers }),
    service,
    async stop() {
      await service.stop();
      await data.remove();
    },
  };
}

/** Writes a file (folders made as needed) from bytes or a stream; returns its SHA-256. */
export async function writeFile(
  path: string,
  content: string | Uint8Array | AsyncIterable<Uint8Array>,
): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  const source =
    typeof content === 'string' || content instanceof Uint8Array ? [Buffer.from(content)] : content;
  async function* hashed() {
    for await (const chunk of source) {
      hash.update(chunk);
      yield chunk;
    }
  }
  await pipeline(Readable.from(hashed()), createWriteStream(path));
  return hash.digest('hex');
}

/** How many GraphQL mutations the gateway has answered (its /metrics). */
export async function mutationCount(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  return Number(
    /filegraph_graphql_operations_total\{type="mutation"\} (\d+)/.exec(metrics)?.[1] ?? 0,
  );
}

/** A stack trace in output means the CLI crashed instead of saying what went wrong. */
export const stackTrace = /^\s+at .+\(.+:\d+:\d+\)$/m;
