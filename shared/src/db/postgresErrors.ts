import { AppError } from '../errors.ts';

/** Connection failures as node and node-postgres report them. */
const unreachable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** PostgreSQL is shutting down, starting, or the connection broke (SQLSTATE classes 08, 57P). */
function serverGone(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}

/** A transaction that lost a race PostgreSQL detected; running it again is safe. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '40001' || code === '40P01';
}

/** A unique index refused a row (`constraint`: that index only). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const { code, constraint: name } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && (constraint === undefined || name === constraint);
}

/**
 * A failed call in the API's terms: PostgreSQL out of reach or too slow is
 * UNAVAILABLE (the transaction rolled back, nothing was changed); our own
 * refusals pass through; anything else is a bug and stays as it is.
 * `where` names the store in the message ("catalogue (PostgreSQL at db:5432)").
 */
export function fromPostgres(error: unknown, where: string, timeoutMs: number): unknown {
  if (error instanceof AppError) return error;
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  const message = error instanceof Error ? error.message : '';
  if (
    code === '57014' ||
    /timeout exceeded when trying to connect|Query read timeout/.test(message)
  ) {
    return new AppError(
      'UNAVAILABLE',
      `The ${where} did not answer within ${timeoutMs / 1000} s (DATABASE_TIMEOUT); nothing was changed. Try again shortly.`,
      { cause: error },
    );
  }
  if (unreachable.has(code) || serverGone(code) || /Connection terminated/.test(message)) {
    return new AppError(
      'UNAVAILABLE',
      `The ${where} is not answering; nothing was changed. Try again shortly.`,
      { cause: error },
    );
  }
  return error;
}
