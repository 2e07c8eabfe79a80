import type { ParseArgsOptionsConfig } from 'node:util';
import type { Client } from './Client.ts';
import type { ExitCode } from './errors.ts';
import type { Output } from './Output.ts';

/** What a command gets: its parsed arguments, the API, where to write. */
export interface CommandContext {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly client: Client;
  readonly output: Output;
  /** Where bytes go with `get -o -`. */
  readonly stdout: NodeJS.WritableStream;
  /** The current folder, for paths on the command line. */
  readonly cwd: string;
  /** Registers a clean-up to run if the user interrupts (Ctrl-C); returns its removal. */
  onInterrupt(cleanup: () => void): () => void;
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The synopsis, e.g. "upload <path…> [--to <folder>] [--overwrite]". */
  readonly usage: string;
  /** What `filegraph <command> --help` says after the synopsis. */
  readonly help: string;
  readonly options: ParseArgsOptionsConfig;
  /** How many positionals it takes. */
  readonly arity: { readonly min: number; readonly max: number };
  run(context: CommandContext): Promise<ExitCode>;
}
