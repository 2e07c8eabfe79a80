import type { Logger, LogLevel } from '@filegraph/shared/logger';
import { logRecord, startProcess, type ManagedProcess } from '@filegraph/processes/processes';

export interface SupervisedOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Runs it as this user and group (PostgreSQL as the postgres user when the stack runs as root). */
  readonly uid?: number;
  readonly gid?: number;
  /** What a stop sends first, when SIGTERM is not its clean, prompt stop (PostgreSQL: SIGINT). */
  readonly stopSignal?: NodeJS.Signals;
  /** Resolves once the process serves (with its URL, when it logs one); rejects when it never will. */
  readonly ready: (process: ManagedProcess) => Promise<string | void>;
  /** Runs after every start, once ready (registers the router in a Consul that just started empty). */
  readonly afterReady?: () => Promise<void>;
  readonly logger: Logger;
}

const levels = new Set<string>(['debug', 'info', 'warn', 'error']);

/**
 * One process of the native stack, restarted when it dies on its own as
 * compose's `restart: unless-stopped` would (after 1 s, doubling to 10 s
 * while it keeps dying). Its output goes to the stack's log, under its name.
 */
export class Supervised {
  readonly name: string;
  readonly #options: SupervisedOptions;
  #current: ManagedProcess | undefined;
  #stopping = false;
  #restart = true;
  #backoff = 1_000;
  #starting: Promise<void> | undefined;
  #url: string | undefined;

  constructor(options: SupervisedOptions) {
    this.name = options.name;
    this.#options = options;
  }

  /** Where it serves, when it said so when it last became ready. */
  get url(): string | undefined {
    return this.#url;
  }

  get process(): ManagedProcess {
    if (!this.#current) throw new Error(`${this.name} is not running`);
    return this.#current;
  }

  /** Starts it (again) and resolves once it is ready. */
  start(): Promise<void> {
    this.#stopping = false;
    this.#restart = true;
    this.#starting ??= this.#start().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async #start(): Promise<void> {
    const { name, command, args, env, cwd, uid, gid, stopSignal, logger } = this.#options;
    const log = logger.child({ service: name });
    const started = Date.now();
    const child = await startProcess({
      name,
      command,
      args,
      env,
      cwd,
      uid,
      gid,
      stopSignal,
      ownGroup: true,
      onLine: (line) => forward(log, line),
    });
    this.#current = child;
    void child.exited.then((code) => this.#exited(child, code, started));
    this.#url = (await this.#options.ready(child)) ?? undefined;
    await this.#options.afterReady?.();
  }

  #exited(child: ManagedProcess, code: number | null, started: number): void {
    if (this.#stopping || !this.#restart || this.#current !== child) return;
    // A process that ran a while before dying starts again from the shortest wait.
    if (Date.now() - started > 30_000) this.#backoff = 1_000;
    const wait = this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, 10_000);
    this.#options.logger.warn('exited; restarting', { service: this.name, code, inMs: wait });
    setTimeout(() => {
      if (this.#stopping || !this.#restart) return;
      this.start().catch((error: unknown) =>
        this.#options.logger.error('restart failed', { service: this.name, err: error }),
      );
    }, wait);
  }

  /** Kills it the way a crash would; unless `restart` is false, the supervisor brings it back. */
  kill(signal: NodeJS.Signals = 'SIGKILL', options: { restart?: boolean } = {}): void {
    this.#restart = options.restart ?? true;
    this.#current?.kill(signal);
  }

  /** From now on, an exit is expected: no restart (the stack marks all before stopping any). */
  retire(): void {
    this.#stopping = true;
  }

  /** SIGTERM (or its stopSignal) and wait; no restart. */
  async stop(graceMs = 15_000): Promise<void> {
    this.retire();
    await this.#current?.stop(graceMs);
  }
}

/** A child's JSON log line keeps its level and fields; anything else is logged as a message. */
function forward(log: Logger, line: string): void {
  const record = logRecord(line);
  if (!record || typeof record.msg !== 'string') {
    if (line.trim() !== '') log.info(line);
    return;
  }
  const { msg, level, time: _time, service: _service, ...fields } = record;
  const at = (typeof level === 'string' && levels.has(level) ? level : 'info') as LogLevel;
  log[at](msg, fields);
}
