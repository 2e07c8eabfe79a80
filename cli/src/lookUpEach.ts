import { asCliError, exitCodes, refused, type CliError, type ExitCode } from './errors.ts';

/** One command-line argument of a command on several files that could not be done. */
export interface Failure {
  readonly ref: string;
  readonly error: CliError;
}

/**
 * Looks up every argument before anything changes. A file that is not
 * there fails alone; a usage error, an unreachable server or a missing or
 * refused token (UNAUTHENTICATED: the same for every file) ends the
 * command, having changed nothing.
 */
export async function lookUpEach<T>(
  refs: readonly string[],
  lookUp: (ref: string) => Promise<T>,
): Promise<{ found: Array<{ ref: string; value: T }>; failed: Failure[] }> {
  const found: Array<{ ref: string; value: T }> = [];
  const failed: Failure[] = [];
  for (const ref of refs) {
    try {
      found.push({ ref, value: await lookUp(ref) });
    } catch (caught) {
      const error = asCliError(caught);
      if (error.exitCode !== exitCodes.refused || error.code === 'UNAUTHENTICATED') throw error;
      failed.push({ ref, error });
    }
  }
  return { found, failed };
}

/** What a command on several files exits with: 0 all done, 4 some, otherwise the first failure's code. */
export function exitFor(done: number, failed: readonly Failure[]): ExitCode {
  if (failed.length === 0) return exitCodes.ok;
  return done > 0 ? exitCodes.partial : (failed[0]?.error.exitCode ?? exitCodes.refused);
}

/** Ids in chunks the API takes (at most 1000 at once). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const notFound = (message: string) => refused('NOT_FOUND', message);
