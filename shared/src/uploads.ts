import { AppError } from './errors.ts';

/**
 * graphql-upload's refusals reworded for people: which limit, how big, and
 * the variable that sets it. Used by the gateway and the files subgraph,
 * which both parse multipart requests.
 */
export function explainUploadError(limits: { maxFiles: number }) {
  return (error: AppError): AppError => {
    if (error.code === 'PAYLOAD_TOO_LARGE' && /max file uploads exceeded/.test(error.message)) {
      return new AppError(
        'PAYLOAD_TOO_LARGE',
        `Too many files in one request: at most ${limits.maxFiles} are accepted (MAX_FILES).`,
      );
    }
    return error;
  };
}

/**
 * Options for graphql-upload. busboy reports its size limit as soon as a
 * file *reaches* it, so a file of exactly MAX_FILE_SIZE would be refused:
 * it gets one byte of headroom, and the exact limit is enforced on the bytes
 * themselves (the files subgraph's Meter).
 */
export function multipartLimits(limits: { maxFileSize: number; maxFiles: number }) {
  return { maxFileSize: limits.maxFileSize + 1, maxFiles: limits.maxFiles };
}
