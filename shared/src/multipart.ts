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

/** A quoted-string for a header parameter: quotes and backslashes escaped, line breaks dropped. */
function quoted(value: string): string {
  return `"${value.replace(/[\r\n]/g, ' ').replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * `files` are opened one at a time, in order, only when the body reaches
 * them: a file that is still arriving elsewhere streams straight through.
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
    for (const [index, open] of files.entries()) {
      const file = await open();
      yield encoder.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="${index}"; filename=${quoted(file.filename)}\r\n` +
          `Content-Type: ${file.contentType || 'application/octet-stream'}\r\n\r\n`,
      );
      yield* file.content;
      yield encoder.encode('\r\n');
    }
    yield encoder.encode(`--${boundary}--\r\n`);
  }

  return { contentType: `multipart/form-data; boundary=${boundary}`, body: body() };
}
