import { createRequire } from 'node:module';
import type * as NodeHttp from 'node:http';

/**
 * node:http, required rather than imported. Importing it into an ES module
 * builds its namespace by reading every export, and three of them
 * (WebSocket, CloseEvent, MessageEvent) are lazy getters that load undici,
 * web streams and worker_threads: 12 MiB more RSS in every process, for
 * nothing a service uses. Types still come from `import type` of node:http.
 * A package whose ES build imports node:http (minio-js) is required too.
 */
export const http = createRequire(import.meta.url)('node:http') as typeof NodeHttp;

/**
 * How every agent that keeps connections open between requests keeps them:
 * an idle one is closed after 4 s, before the far side closes it (HAProxy's
 * `timeout http-keep-alive` is 10 s). Otherwise a request sent on a
 * connection at the moment the far side closes it fails with ECONNRESET,
 * which a client sees as UNAVAILABLE though nothing is down (Node's own
 * global agent closes idle sockets after 5 s for the same reason).
 */
export const keptAlive = { keepAlive: true, timeout: 4_000 } as const;
