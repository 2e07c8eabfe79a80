import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from './http.ts';
import { AppError, type ErrorCode } from './errors.ts';
import { http } from './nodeHttp.ts';

/** Node's codes for requests its HTTP parser refused, as our answers. */
const refusals: Record<string, [ErrorCode, number, string]> = {
  HPE_HEADER_OVERFLOW: ['BAD_USER_INPUT', 431, 'The request headers are too large.'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: ['PAYLOAD_TOO_LARGE', 413, 'The chunk extensions are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [
    'REQUEST_TIMEOUT',
    408,
    'The request took longer to send than the server allows (REQUEST_TIMEOUT).',
  ],
};

function refusal(error: NodeJS.ErrnoException): string {
  const [code, status, message] = refusals[error.code ?? ''] ?? [
    'BAD_USER_INPUT',
    400,
    `The request is not valid HTTP/1.1 (${error.code ?? 'unreadable'}).`,
  ];
  const body = JSON.stringify(errorBody(new AppError(code, message)));
  return (
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/**
 * Answers what Node's HTTP parser refuses (broken framing, huge headers, a
 * request too slow) in our error shape. Unlike Node's own handler, which
 * closes the connection at once, it lets the answer to a complete request
 * still in progress on that connection go out first: a client that sent a
 * valid upload followed by garbage learns what became of the upload.
 */
export function answerClientErrors(server: Server): void {
  const inFlight = new WeakMap<Socket, [IncomingMessage, ServerResponse]>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    inFlight.set(socket, [request, response]);
    response.once('close', () => {
      if (inFlight.get(socket)?.[1] === response) inFlight.delete(socket);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const refuse = () => {
      if (socket.writable && error.code !== 'ECONNRESET') socket.end(refusal(error));
      socket.destroySoon();
    };
    const [request, response] = inFlight.get(socket) ?? [];
    if (!response || response.writableFinished) return refuse();
    // The error belongs to what came after a complete request: answer that one first.
    if (request?.complete) return void response.once('close', refuse);
    if (!response.headersSent) return refuse();
    socket.destroy();
  });
}
