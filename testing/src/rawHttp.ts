import { connect } from 'node:net';

/**
 * HTTP/1.1 spoken by hand over TCP, for requests no well-behaved client
 * would send: malformed, truncated, cut off, or trickled in.
 */

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The server closed the connection after answering. */
  readonly closed: boolean;
}

export interface RawOptions {
  /** Give up waiting for an answer after this long (resolves undefined). */
  readonly timeoutMs?: number;
  /** Wait this long between chunks. */
  readonly pauseMs?: number;
  /** Close the connection once everything is sent, without waiting for an answer. */
  readonly hangUp?: boolean;
  /** After an answer, wait this long to see whether the server closes the connection. */
  readonly watchCloseMs?: number;
}

/** A request's bytes: the request line, headers (Content-Length unless given) and body. */
export function rawRequest(
  path: string,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
): Buffer {
  const all: Record<string, string> = { host: '127.0.0.1', ...headers };
  if (!Object.keys(all).some((name) => /^(content-length|transfer-encoding)$/i.test(name)))
    all['content-length'] = String(body.length);
  const head = Object.entries(all)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\n${head}\r\n`), body]);
}

/** The answer in `data`, once it has all come (by its Content-Length). */
function parse(data: Buffer, closed: boolean): RawAnswer | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = data.subarray(end + 4);
  const length = Number(headers['content-length'] ?? NaN);
  // Without a Content-Length the answer ends with the connection.
  if (Number.isNaN(length) ? !closed : body.length < length) return undefined;
  return {
    status: Number(statusLine?.split(' ')[1] ?? 0),
    headers,
    body: body.subarray(0, Number.isNaN(length) ? undefined : length).toString('utf8'),
    closed,
  };
}

/**
 * Sends `chunks` to 127.0.0.1:`port` and resolves with the answer, or
 * undefined when none came (hung up, or nothing within the timeout).
 */
export function sendRaw(
  port: number,
  chunks: readonly Buffer[],
  options: RawOptions = {},
): Promise<RawAnswer | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let serverClosed = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(received);
      resolve(parse(data, serverClosed));
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 10_000);
    socket.on('error', () => {});
    socket.on('end', () => (serverClosed = true));
    socket.on('close', () => {
      serverClosed = true;
      finish();
    });
    socket.on('data', (chunk) => {
      received.push(chunk);
      if (parse(Buffer.concat(received), false)) setTimeout(finish, options.watchCloseMs ?? 0);
    });
    void (async () => {
      for (const [index, chunk] of chunks.entries()) {
        if (index > 0 && options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
        if (socket.destroyed) return;
        socket.write(chunk);
      }
      if (options.hangUp) finish();
    })();
  });
}
