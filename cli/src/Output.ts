import { inspect } from 'node:util';
import type { CliError } from './errors.ts';
import { ProgressBar, type ProgressState } from './ProgressBar.ts';

/** Where output goes; process.stdout and process.stderr, or a test's own. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * What a command shows, in one of two modes. For people: lines on stdout,
 * notes and errors on stderr, a progress bar on stderr when it is a
 * terminal. With --json: one JSON document on stdout with the result, and
 * an error as {"error": {"code", "message"}} on stderr; nothing else.
 */
export class Output {
  readonly json: boolean;
  readonly #stdout: OutputStream;
  readonly #stderr: OutputStream;
  #bar: ProgressBar | undefined;

  constructor(streams: { stdout: OutputStream; stderr: OutputStream }, json: boolean) {
    this.#stdout = streams.stdout;
    this.#stderr = streams.stderr;
    this.json = json;
  }

  /** A line of the result, for people (stdout). */
  line(text: string): void {
    if (!this.json) this.#around(() => this.#stdout.write(`${clean(text)}\n`));
  }

  /** A hint or summary for people (stderr), never mixed into the result. */
  note(text: string): void {
    if (!this.json) this.#around(() => this.#stderr.write(`${clean(text)}\n`));
  }

  /** The result as one JSON document (--json only). */
  result(value: unknown): void {
    if (this.json) this.#stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** What failed for one item of a command on several (people only: --json puts it in the result). */
  problem(what: string, error: CliError): void {
    if (!this.json)
      this.#around(() => this.#stderr.write(`filegraph: ${clean(what)}: ${describe(error)}\n`));
  }

  /** The error that ended the command. */
  error(error: CliError): void {
    this.#bar?.clear();
    if (this.json) this.#stderr.write(`${JSON.stringify({ error: error.toJSON() })}\n`);
    else this.#stderr.write(`filegraph: ${describe(error)}\n`);
  }

  /** Shows progress on a terminal; does nothing otherwise (or with --json). */
  progress(state: ProgressState): void {
    if (this.json || !this.#stderr.isTTY) return;
    this.#bar ??= new ProgressBar(
      (text) => this.#stderr.write(text),
      () => this.#stderr.columns || 80,
    );
    this.#bar.update(state);
  }

  /** Removes the progress bar for good. */
  endProgress(): void {
    this.#bar?.clear();
    this.#bar = undefined;
  }

  #around(write: () => void): void {
    this.#bar?.clear();
    write();
    this.#bar?.redraw();
  }
}

function describe(error: CliError): string {
  return `${error.code}: ${clean(error.message)}`;
}

/**
 * Names come from the server and from disk: control characters in them
 * (a newline, an escape sequence) are shown escaped, never sent to the terminal.
 */
function clean(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (char) => inspect(char).slice(1, -1));
}
