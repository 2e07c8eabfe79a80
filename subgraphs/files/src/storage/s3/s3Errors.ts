import { AppError } from '@filegraph/shared/errors';

/** The S3 error code of a failed request (NoSuchKey, PreconditionFailed …), if any. */
export function s3Code(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z]/.test(code) && !/^E[A-Z]+$/.test(code)
    ? code
    : undefined;
}

const unreachable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

const overloaded = new Set([
  'XMinioServerNotInitialized',
  'ServiceUnavailable',
  'SlowDown',
  'XMinioStorageFull',
]);

/**
 * Runs one storage request. When the server can't be reached, or says it
 * can't serve yet, the caller gets UNAVAILABLE with where it was looking;
 * other errors pass through unchanged.
 */
export async function s3Call<T>(where: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: unknown } | undefined)?.code;
    const message = error instanceof Error ? error.message : '';
    if (
      (typeof code === 'string' && (unreachable.has(code) || overloaded.has(code))) ||
      message === 'socket hang up'
    ) {
      const reason = code === 'XMinioStorageFull' ? 'is full' : 'is not answering';
      throw new AppError(
        'UNAVAILABLE',
        `The ${where} ${reason}; nothing was changed. Try again shortly.`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
