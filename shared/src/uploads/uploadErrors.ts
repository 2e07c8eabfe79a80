import { formatBytes } from '../config.ts';
import { AppError } from '../errors.ts';

/**
 * What a multipart upload can be refused for, each with its final code and a
 * message that says what was wrong and what is allowed. `during` names the
 * file being read when it happened (" while ‘a.jpg’ was arriving"), so a
 * client of a multi-file upload knows which one.
 */

const spec = 'https://github.com/jaydenseric/graphql-multipart-request-spec';

/**
 * A file name as the client sent it, for a message: quoted, cut at 80
 * characters, with control and format characters (line breaks, U+202E…)
 * escaped, so that a message can be neither split nor reordered by one.
 */
export function quotedName(name: string): string {
  const chars = [...name];
  const shown = chars
    .slice(0, 80)
    .map((c) =>
      /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(c) ? `\\u{${c.codePointAt(0)?.toString(16)}}` : c,
    )
    .join('');
  return `‘${shown}${chars.length > 80 ? '…' : ''}’`;
}

const bad = (message: string) => new AppError('BAD_USER_INPUT', message);

export const uploadErrors = {
  preflight: () =>
    bad(
      'A multipart request must carry a non-empty Apollo-Require-Preflight (or X-Apollo-Operation-Name) header; without one it could come from a form on another site (CSRF).',
    ),
  tooManyAtOnce: (max: number) =>
    new AppError(
      'TOO_MANY_REQUESTS',
      `At most ${max} uploads may be under way from one client at once (MAX_UPLOADS_PER_CLIENT); send this one when another has finished.`,
    ),
  unreadable: (why: string) => bad(`The multipart request can't be read: ${why} (${spec}).`),
  malformedPart: (during: string) =>
    bad(`A part of the multipart body${during} has a malformed header, or headers over 16 KiB.`),
  endedEarly: (during: string) =>
    bad(`The multipart body ended before its closing boundary${during}; nothing of it was stored.`),
  cutOff: (during: string) =>
    new AppError(
      'CLIENT_CLOSED_REQUEST',
      `The upload was cut off before it ended${during}; nothing of it was stored.`,
    ),
  idle: (ms: number, during: string) =>
    new AppError(
      'REQUEST_TIMEOUT',
      `The upload made no progress for ${ms / 1000} s${during} (UPLOAD_IDLE_TIMEOUT): too little of it arrived. It was abandoned and nothing of it was stored.`,
    ),
  misordered: (field: string) =>
    bad(
      `The operation is waiting for a file sent after file ‘${field}’, which it has not reached yet: send the files in the order the operation uses them (${spec}).`,
    ),
  tooManyFiles: (max: number) =>
    new AppError(
      'PAYLOAD_TOO_LARGE',
      `Too many files in one request: at most ${max} are accepted (MAX_FILES).`,
    ),
  fileTooLarge: (filename: string, max: number) =>
    new AppError(
      'PAYLOAD_TOO_LARGE',
      `${quotedName(filename)} is larger than ${formatBytes(max)}, the most one file may hold (MAX_FILE_SIZE).`,
    ),
  fieldTooLarge: (name: string, max: number) =>
    new AppError(
      'PAYLOAD_TOO_LARGE',
      `The ‘${name}’ multipart field is larger than ${formatBytes(max)}.`,
    ),
  unexpectedField: (name: string) =>
    bad(
      `Unexpected multipart field ‘${name}’: a GraphQL multipart request has the fields ‘operations’ and ‘map’, then the files (${spec}).`,
    ),
  fieldTwice: (name: string) => bad(`The multipart field ‘${name}’ appears twice.`),
  misorderedFields: () =>
    bad(`Misordered multipart fields; ‘map’ should follow ‘operations’ (${spec}).`),
  missingField: (name: string) => bad(`Missing multipart field ‘${name}’ (${spec}).`),
  invalidJson: (name: string) => bad(`Invalid JSON in the ‘${name}’ multipart field (${spec}).`),
  invalidType: (name: string) => bad(`Invalid type for the ‘${name}’ multipart field (${spec}).`),
  invalidEntry: (field: string) =>
    bad(`The ‘map’ entry for file ‘${field}’ must be an array of object paths (${spec}).`),
  invalidPath: (field: string, path: string) =>
    bad(
      `The ‘map’ entry for file ‘${field}’ names ${JSON.stringify(path.slice(0, 100))}, which is not a variable in ‘operations’ (${spec}).`,
    ),
  manyPlaces: (field: string, count: number) =>
    bad(
      `The ‘map’ gives file ‘${field}’ ${count} places; each file may fill one variable, as it is streamed and read once.`,
    ),
  samePlace: (path: string) =>
    bad(`The ‘map’ puts two files at ${JSON.stringify(path.slice(0, 100))}.`),
  fileBeforeMap: () => bad(`Misordered multipart fields; files should follow ‘map’ (${spec}).`),
  fileTwice: (field: string) => bad(`File ‘${field}’ appears twice in the request.`),
  fileMissing: (field: string) =>
    bad(`File ‘${field}’, named in the ‘map’, is missing from the request.`),
};

/** The same refusal, saying so for a request that carried several files. */
export function noFileKept(error: AppError): AppError {
  return new AppError(error.code, `${error.message} No file of this request was kept.`, {
    cause: error,
  });
}
