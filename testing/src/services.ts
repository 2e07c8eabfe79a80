import { delimiter, dirname } from 'node:path';
import { logRecord, startProcess, type ManagedProcess } from '@filegraph/processes/processes';
import { root } from '@filegraph/processes/root';
import { testAdminEnv } from './accounts.ts';
import { testIdentitySecret } from './identity.ts';

const entries = {
  files: 'subgraphs/files/src/main.ts',
  health: 'subgraphs/health/src/main.ts',
  accounts: 'subgraphs/accounts/src/main.ts',
  gateway: 'supergraph/src/main.ts',
  embedded: 'scripts/start.ts',
} as const;

export interface RunningService {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * One of our services as a real process on 127.0.0.1, on a port it picks
 * itself, with JSON logs; resolves once it logs that it is ready.
 * `embedded` is the whole embedded default (`npm start`).
 */
export async function startService(
  which: keyof typeof entries,
  env: Readonly<Record<string, string>> = {},
  options: { timeoutMs?: number } = {},
): Promise<RunningService> {
  const readyMessage = which === 'embedded' ? 'filegraph is ready' : 'ready';
  let url = '';
  const running = await startProcess({
    name: which,
    // Started the way npm start and the images start it, with the same memory tuning.
    command: `${root}scripts/node-service`,
    args: [entries[which]],
    cwd: root,
    env: {
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      // The secret tests sign identities with (testing/src/identity.ts) when they call a subgraph directly.
      IDENTITY_SECRET: testIdentitySecret,
      // Where accounts run, the first admin exists (testing/src/accounts.ts signs in as them).
      ...(which === 'embedded' || which === 'accounts' ? testAdminEnv : {}),
      ...env,
    },
    ready: (line) => {
      const record = logRecord(line);
      if (record?.msg !== readyMessage || typeof record.url !== 'string') return false;
      url = record.url.replace(/\/$/, '');
      return true;
    },
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  return { url, process: running, stop: () => running.stop() };
}

/**
 * Services a test started, all stopped at its end, including one still
 * starting when the test failed (two started at once, one failing): left
 * running, its pipes would keep the test file from ever ending.
 */
export class Services {
  readonly #starts: Promise<RunningService | undefined>[] = [];

  start(...args: Parameters<typeof startService>): Promise<RunningService> {
    const started = startService(...args);
    this.#starts.push(started.catch(() => undefined));
    return started;
  }

  async stopAll(): Promise<void> {
    const started = await Promise.all(this.#starts.splice(0));
    await Promise.all(started.map((running) => running?.stop()));
  }
}
