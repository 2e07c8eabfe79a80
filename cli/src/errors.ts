/**
 * Exit codes scripts can rely on (docs/cli.md lists them). Each failure the
 * CLI knows of is a CliError with its code: the server's own error code when
 * the server refused, otherwise one of the CLI's (USAGE, UNREACHABLE …).
 */
export const exitCodes = {
  /** Everything asked for was done. */
  ok: 0,
  /** The command line is wrong: unknown command or option, missing or bad argument, no such local path. */
  usage: 1,
  /** The server refused; the message names its error code (CONFLICT, NOT_FOUND …). */
  refused: 2,
  /** The server could not be reached, or what answered is not filegraph. */
  unreachable: 3,
  /** A command on several files did some and not others; the output says which. */
  partial: 4,
  /** A local file could not be read or written, or downloaded bytes did not match their checksum. */
  local: 5,
  /** A bug in the CLI itself: the message says what happened. */
  internal: 70,
  /** Interrupted (Ctrl-C), as shells report SIGINT. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export class CliError extends Error {
  /** The server's error code, or the CLI's own: USAGE, UNREACHABLE, NOT_FILEGRAPH, LOCAL_FILE, BAD_NAME, CHECKSUM_MISMATCH, INTERNAL_ERROR. */
  readonly code: string;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, exitCode: ExitCode, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }

  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

export const usageError = (message: string) => new CliError('USAGE', message, exitCodes.usage);

export const refused = (code: string, message: string) =>
  new CliError(code, message, exitCodes.refused);

export const unreachable = (message: string, code = 'UNREACHABLE') =>
  new CliError(code, message, exitCodes.unreachable);

export const localError = (message: string, code = 'LOCAL_FILE') =>
  new CliError(code, message, exitCodes.local);

/** The CliError for anything thrown: unexpected errors keep their message, never their stack. */
export function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CliError('INTERNAL_ERROR', `unexpected error: ${message}`, exitCodes.internal);
}
