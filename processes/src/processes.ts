import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/**
 * Real processes for tests and for `npm run stack`: started with a readiness
 * condition read from their output, stopped by whoever started them, and
 * killed on exit of the test runner or launcher whatever happens, so none is
 * left behind.
 */

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM (or the `stopSignal` it was started with), then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves with the first output line that satisfies `match`. */
  waitFor(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

export interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** The process is ready when a line of its output satisfies this; without it, once spawned. */
  readonly ready?: (line: string) => boolean;
  readonly timeoutMs?: number;
  /** Sees every output line as it comes (a launcher forwards them to its own log). */
  readonly onLine?: (line: string) => void;
  /**
   * Its own process group: a Ctrl-C in the terminal then reaches only the
   * launcher, which stops its children in order, instead of all at once.
   */
  readonly ownGroup?: boolean;
  /** Runs it as this user and group (PostgreSQL refuses to run as root). */
  readonly uid?: number;
  readonly gid?: number;
  /** What `stop()` sends first; SIGTERM unless the program's clean, prompt stop is another. */
  readonly stopSignal?: NodeJS.Signals;
}

const running = new Set<ChildProcess>();
const keptLines = 5_000;
function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}
process.on('exit', killAll);
// In a test (node --test sets NODE_TEST_CONTEXT), a runner stopped by a signal
// (a timeout, Ctrl-C) takes what it started with it: 'exit' does not run then.
if (process.env.NODE_TEST_CONTEXT) {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

export async function startProcess(options: StartOptions): Promise<ManagedProcess> {
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownGroup ?? false,
    uid: options.uid,
    gid: options.gid,
  });
  running.add(child);
  // A program that is not there (ENOENT) or not executable emits 'error' and
  // no 'exit': fail now, naming it, instead of crashing or waiting for output.
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('error', (error) => {
      if (child.pid !== undefined) return;
      running.delete(child);
      reject(new Error(`${options.name}: cannot start ${options.command}: ${error.message}`));
    });
  });
  failed.catch(() => {});
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      // A long-running process (npm run stack) would otherwise grow this forever.
      if (lines.length > keptLines) lines.splice(0, lines.length - keptLines);
      options.onLine?.(line);
      for (const listener of listeners) listener(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
    // One that never started sends no 'exit'.
    child.once('error', () => {
      if (child.pid === undefined) resolve(null);
    });
  });

  const waitFor = (match: (line: string) => boolean, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const found = lines.find(match);
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(
          new Error(
            `${options.name}: no matching output within ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`,
          ),
        );
      }, timeoutMs);
      const listener = (line: string) => {
        if (!match(line)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(line);
      };
      listeners.add(listener);
      void exited.then((code) => {
        if (!listeners.has(listener)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        reject(
          new Error(
            `${options.name} exited (${code}) before it was ready:\n${lines.slice(-30).join('\n')}`,
          ),
        );
      });
    });

  const managed: ManagedProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    child,
    output: () => lines.join('\n'),
    exited,
    kill: (signal = 'SIGKILL') => void child.kill(signal),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    waitFor,
  };
  try {
    await Promise.race([
      failed,
      options.ready ? waitFor(options.ready, options.timeoutMs) : once(child, 'spawn'),
    ]);
  } catch (error) {
    if (child.pid === undefined) throw error;
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return managed;
}

/** Parses one JSON log line, or undefined when the line is not one. */
export function logRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Peak resident memory of a process so far (VmHWM), in bytes. Linux only. */
export async function peakRss(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmHWM for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Waits until a child has really exited (for kill -9 tests). */
export async function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}

/**
 * Polls `answers` (a request to the server; a throw counts as "not yet")
 * until it says the server can serve: some print that they listen before
 * they can. Stops the server and throws with its output when it exits first
 * or `timeoutMs` passes.
 */
export async function untilAnswers(
  server: ManagedProcess,
  answers: () => Promise<boolean>,
  timeoutMs: number,
): Promise<ManagedProcess> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      throw new Error(`${server.name} exited before it was ready:\n${server.output()}`);
    if (await answers().catch(() => false)) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${server.name} not ready within ${timeoutMs / 1000} s:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
