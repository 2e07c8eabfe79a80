import { createHash, randomFillSync } from 'node:crypto';
import { request as httpRequest, type Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from '@filegraph/shared/httpClient';
import { multipartBody, type MultipartFile } from '@filegraph/shared/multipart';

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: ReadonlyArray<{
    message: string;
    extensions?: { code?: string };
    path?: unknown[];
  }>;
}

/** How a test client reaches the API: extra headers (who it is), an internal service's certificate. */
export interface ClientOptions {
  readonly headers?: Record<string, string>;
  readonly agent?: Agent;
}

/** POSTs one GraphQL operation as JSON; through `agent` (an internal service's certificate) when given. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: ClientOptions = {},
): Promise<GraphQLResponse<T>> {
  const headers = { 'content-type': 'application/json', ...options.headers };
  if (options.agent) {
    const answer = await request(`${url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      agent: options.agent,
    });
    return { status: answer.status, ...(JSON.parse(answer.text) as object) };
  }
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

export interface UploadFile {
  /** Where the file goes in `variables`, e.g. "files.0" or "file". */
  readonly variable: string;
  readonly filename: string;
  readonly contentType?: string;
  readonly content: string | Uint8Array | AsyncIterable<Uint8Array>;
}

function asIterable(content: UploadFile['content']): AsyncIterable<Uint8Array> {
  if (typeof content === 'string') return Readable.from([Buffer.from(content)]);
  if (content instanceof Uint8Array) return Readable.from([content]);
  return content;
}

/**
 * Sends a GraphQL multipart request (the spec curl -F follows), streaming
 * each file's content: gigabytes cost no memory here. `headers` replaces the
 * default preflight header when given.
 */
export function upload<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  files: readonly UploadFile[],
  headers: Record<string, string> = { 'apollo-require-preflight': 'true' },
  agent?: Agent,
): Promise<GraphQLResponse<T>> {
  const map = Object.fromEntries(
    files.map((file, index) => [String(index), [`variables.${file.variable}`]]),
  );
  const { contentType, body } = multipartBody(
    { query, variables },
    map,
    files.map((file) => async (): Promise<MultipartFile> => ({
      filename: file.filename,
      contentType: file.contentType ?? 'application/octet-stream',
      content: asIterable(file.content),
    })),
  );
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const outgoing = send(
      `${url}/graphql`,
      { method: 'POST', headers: { ...headers, 'content-type': contentType }, agent },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, ...(JSON.parse(text) as object) });
          } catch {
            reject(new Error(`not JSON (HTTP ${response.statusCode}): ${text.slice(0, 300)}`));
          }
        });
      },
    );
    outgoing.on('error', reject);
    pipeline(Readable.from(body), outgoing).catch(reject);
  });
}

/** `size` bytes of repeatable pseudo-random content, generated as it is read. */
export async function* generatedContent(
  size: number,
  seed = 1,
  chunkSize = 1 << 20,
): AsyncGenerator<Uint8Array> {
  let state = seed >>> 0 || 1;
  let left = size;
  while (left > 0) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkSize, left));
    for (let i = 0; i + 4 <= chunk.length; i += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      chunk.writeUInt32LE(state >>> 0, i);
    }
    for (let i = chunk.length - (chunk.length % 4); i < chunk.length; i += 1) chunk[i] = i & 0xff;
    left -= chunk.length;
    yield chunk;
  }
}

/**
 * `size` random bytes produced as they are read (nothing held in memory),
 * hashed on the way: `sha256()` is the digest once the content is consumed.
 */
export function randomContent(
  size: number,
  chunkSize = 1 << 20,
): { content: AsyncIterable<Uint8Array>; sha256(): string } {
  const hash = createHash('sha256');
  let digest: string | undefined;
  async function* content(): AsyncGenerator<Uint8Array> {
    for (let left = size; left > 0; left -= chunkSize) {
      const chunk = randomFillSync(Buffer.allocUnsafe(Math.min(chunkSize, left)));
      hash.update(chunk);
      yield chunk;
    }
    digest = hash.digest('hex');
  }
  return {
    content: content(),
    sha256: () => {
      if (digest === undefined) throw new Error('content not consumed yet');
      return digest;
    },
  };
}

/**
 * Sends the start of a one-file upload — operations, map and `bytes` of the
 * file — then drops the connection, as a client that dies mid-upload would;
 * `headers`: who it is (testing/src/accounts.ts, testing/src/identity.ts).
 */
export function cutOffUpload(
  url: string,
  filename: string,
  bytes = 2 * 2 ** 20,
  headers: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve) => {
    const boundary = 'cut-off-boundary';
    const operations = JSON.stringify({
      query: 'mutation ($f: [Upload!]!) { uploadFiles(files: $f) { id } }',
      variables: { f: [null] },
    });
    const outgoing = httpRequest(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'apollo-require-preflight': 'true',
        ...headers,
      },
    });
    outgoing.on('error', () => resolve());
    outgoing.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f.0"]}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    outgoing.write(Buffer.alloc(bytes, 1), () =>
      setTimeout(() => (outgoing.destroy(), resolve()), 300),
    );
  });
}
