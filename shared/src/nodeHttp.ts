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
