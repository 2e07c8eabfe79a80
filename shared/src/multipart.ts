import { randomUUID } from 'node:crypto';

/**
 * Writes a GraphQL multipart request
 * (https://github.com/jaydenseric/graphql-multipart-request-spec) as a
 * stream: operations, map, then each file's bytes as they come. Nothing is
 * buffered, so a file of any size costs no memory here. The gateway uses it
 * to pass uploads on to the files subgraph; tests use it to send them.
 */

export interface MultipartFile {
  readonly filename: string;
  readonly contentType: string;
  readonly content: AsyncIterable<Uint8Array>;
}

export interface MultipartBody {
  readonly contentType: string;
  readonly body: AsyncGenerator<Uint8Array>;
}

/** What RFC 8187's ext-value keeps as it is (attr-char); every other byte is percent-encoded. */
const attrChar = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;
const printableAscii = /^[\x20-\x7e]*$/;

/** The field that ends the body of an upload its sender could not finish (see multipartBody). */
export const abandoned = 'x-filegraph-abandoned';

/** A quoted-string (RFC 9110 §5.6.4): quotes and backslashes escaped. */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** RFC 8187's ext-value: the UTF-8 bytes, percent-encoded. */
function extValue(value: string): string {
  let encoded = "UTF-8''";
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    encoded += attrChar.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/**
 * The file name's Content-Disposition parameters. Printable ASCII goes as it
 * is, quoted. Any other name goes exactly (CR, LF and all) as `filename*`
 * (RFC 8187), after an ASCII `filename` fallback, so that the files subgraph
 * refuses an upload for the same characters, with the same message, as a
 * rename. RFC 7578 §4.2 forbids `filename*` in form data for browsers' sake;
 * our readers are busboy, which decodes it (`defParamCharset: 'utf8'`) and
 * prefers it to `filename`.
 */
function filenameParameters(name: string): string {
  if (printableAscii.test(name)) return `filename=${quoted(name)}`;
  const fallback = [...name].map((char) => (printableAscii.test(char) ? char : '_')).join('');
  return `filename=${quoted(fallback)}; filename*=${extValue(name)}`;
}

/**
 * `files` are opened one at a time, in order, only when the body reaches
 * them: a file that is still arriving elsewhere streams straight through.
 *
 * A file that fails on the way (its client went away or sent something
 * broken) ends the body with a part no reader accepts and no closing
 * boundary, instead of cutting the connection: the receiver refuses the whole
 * request and answers once it has undone what it stored, so the sender's own
 * answer never comes before that.
 */
export function multipartBody(
  operations: unknown,
  map: Readonly<Record<string, readonly string[]>>,
  files: ReadonlyArray<() => Promise<MultipartFile>>,
): MultipartBody {
  const boundary = `----filegraph-${randomUUID()}`;
  const encoder = new TextEncoder();
  const field = (name: string, value: string) =>
    encoder.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );

  async function* body(): AsyncGenerator<Uint8Array> {
    yield field('operations', JSON.stringify(operations));
    yield field('map', JSON.stringify(map));
    try {
      for (const [index, open] of files.entries()) {
        const file = await open();
        yield encoder.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="${index}"; ${filenameParameters(file.filename)}\r\n` +
            `Content-Type: ${file.contentType || 'application/octet-stream'}\r\n\r\n`,
        );
        yield* file.content;
        yield encoder.encode('\r\n');
      }
    } catch {
      yield encoder.encode('\r\n');
      yield field(abandoned, 'the sender could not read this upload to its end');
      return;
    }
    yield encoder.encode(`--${boundary}--\r\n`);
  }

  return { contentType: `multipart/form-data; boundary=${boundary}`, body: body() };
}
