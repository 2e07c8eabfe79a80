import { hostname } from 'node:os';
import { logShipping, type Counter } from '../metrics.ts';

/** Why a line never reached VictoriaLogs (the `reason` label of filegraph_log_lines_dropped_total). */
export type DropReason = 'full' | 'unavailable' | 'shutdown';
const dropReasons: readonly DropReason[] = ['full', 'unavailable', 'shutdown'];

export interface LogShipperOptions {
  /** VictoriaLogs's base URL (LOGS_URL); lines go to its /insert/jsonline. */
  readonly url: URL;
  /** Most lines waiting to be sent; more are dropped (counted) until a batch goes. */
  readonly maxLines?: number;
  /** Most bytes waiting to be sent, likewise. */
  readonly maxBytes?: number;
  /** A batch goes this long after its first line came, or at once when it reaches `batchBytes`. */
  readonly intervalMs?: number;
  readonly batchBytes?: number;
  /** Longest a batch may take to be taken; a slower VictoriaLogs counts as unavailable. */
  readonly timeoutMs?: number;
  /** Where the counts go; the process's /metrics by default. */
  readonly counters?: { readonly shipped: Counter; readonly dropped: Counter };
  /** Told once when shipping starts failing and once when it works again (not per line: no storm). */
  readonly report?: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

/**
 * Sends a process's JSON log lines to VictoriaLogs's JSON lines API
 * (https://docs.victoriametrics.com/victorialogs/data-ingestion/#json-stream-api)
 * in batches, one request at a time, and never makes a caller wait: `write`
 * only appends to a bounded buffer. What the buffer cannot hold, and what a
 * VictoriaLogs that is down, slow or refusing does not take, is dropped and
 * counted; lines are never retried, so memory stays within the buffer plus
 * the one batch in flight. While it fails, a batch goes at most once per
 * `intervalMs`.
 */
export class LogShipper {
  readonly #endpoint: string;
  readonly #maxLines: number;
  readonly #maxBytes: number;
  readonly #intervalMs: number;
  readonly #batchBytes: number;
  readonly #timeoutMs: number;
  readonly #counters: { readonly shipped: Counter; readonly dropped: Counter };
  readonly #report: LogShipperOptions['report'];
  readonly #closing = new AbortController();
  #lines: string[] = [];
  #bytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> | undefined;
  #failing = false;
  #droppedWhileFailing = 0;
  /** Set by close: from then on close sends, not the timer. */
  #draining = false;

  constructor(options: LogShipperOptions) {
    const base = new URL(options.url);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    const endpoint = new URL('insert/jsonline', base);
    // Our lines' own names for time and message; one stream per process
    // (service, host, pid), as VictoriaLogs advises for stream fields.
    endpoint.searchParams.set('_time_field', 'time');
    endpoint.searchParams.set('_msg_field', 'msg');
    endpoint.searchParams.set('_stream_fields', 'service,host,pid');
    // Added by VictoriaLogs to every line, so stdout's lines stay as they were.
    endpoint.searchParams.set('extra_fields', `host=${hostname()},pid=${process.pid}`);
    this.#endpoint = endpoint.href;
    this.#maxLines = options.maxLines ?? 10_000;
    this.#maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#batchBytes = options.batchBytes ?? 256 * 1024;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#counters = options.counters ?? logShipping;
    this.#report = options.report;
    // Every series from the start, so that a rate over them has a beginning.
    this.#counters.shipped.inc({}, 0);
    for (const reason of dropReasons) this.#counters.dropped.inc({ reason }, 0);
  }

  /** Queues one JSON line (no newline); drops it, counted, when the buffer is full. */
  write(line: string): void {
    // Bytes as sent (UTF-8) plus the newline.
    const size = Buffer.byteLength(line) + 1;
    if (this.#lines.length >= this.#maxLines || this.#bytes + size > this.#maxBytes) {
      this.#drop('full', 1);
      return;
    }
    this.#lines.push(line);
    this.#bytes += size;
    this.#schedule();
  }

  /**
   * Sends what is buffered, and what comes meanwhile, for at most `timeoutMs`;
   * whatever is left then is dropped and counted. For the exit: the process
   * stops logging to VictoriaLogs after this.
   */
  async close(timeoutMs = 5_000): Promise<void> {
    this.#draining = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const deadline = setTimeout(() => this.#closing.abort(), timeoutMs);
    try {
      while (!this.#closing.signal.aborted && (this.#sending || this.#lines.length > 0))
        await (this.#sending ?? this.#send());
    } finally {
      clearTimeout(deadline);
      this.#closing.abort();
    }
    this.#drop('shutdown', this.#lines.length);
    this.#lines = [];
    this.#bytes = 0;
  }

  #schedule(): void {
    if (this.#draining || this.#sending) return;
    // A full batch goes at once, unless VictoriaLogs is failing: then once an interval.
    if (this.#bytes >= this.#batchBytes && !this.#failing) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      void this.#send();
      return;
    }
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#send();
    }, this.#intervalMs);
    // Never what keeps a process alive.
    this.#timer.unref();
  }

  #send(): Promise<void> {
    if (this.#sending) return this.#sending;
    const batch = this.#lines;
    this.#lines = [];
    this.#bytes = 0;
    if (batch.length === 0) return Promise.resolve();
    this.#sending = this.#post(batch).finally(() => {
      this.#sending = undefined;
      if (this.#lines.length > 0) this.#schedule();
    });
    return this.#sending;
  }

  /** Posts one batch; never rejects: a failure is counted and reported. */
  async #post(batch: readonly string[]): Promise<void> {
    try {
      const response = await fetch(this.#endpoint, {
        method: 'POST',
        // Not a form: VictoriaLogs would read a form-encoded body as its parameters.
        headers: { 'content-type': 'application/stream+json' },
        body: `${batch.join('\n')}\n`,
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#closing.signal]),
      });
      const answer = await response.text();
      if (!response.ok)
        throw new Error(`VictoriaLogs answered HTTP ${response.status}: ${answer.slice(0, 200)}`);
      this.#counters.shipped.inc({}, batch.length);
      if (this.#failing) {
        this.#failing = false;
        this.#report?.('log shipping to VictoriaLogs works again', {
          dropped: this.#droppedWhileFailing,
        });
      }
    } catch (error) {
      // Cut off by close's bound: the process is exiting, nothing to report.
      if (this.#closing.signal.aborted) return this.#drop('shutdown', batch.length);
      this.#drop('unavailable', batch.length);
      if (!this.#failing) {
        this.#failing = true;
        this.#droppedWhileFailing = batch.length;
        this.#report?.('log shipping to VictoriaLogs fails: lines are dropped until it answers', {
          url: this.#endpoint,
          err: error,
        });
      }
    }
  }

  #drop(reason: DropReason, count: number): void {
    if (count === 0) return;
    this.#counters.dropped.inc({ reason }, count);
    if (this.#failing) this.#droppedWhileFailing += count;
  }
}
