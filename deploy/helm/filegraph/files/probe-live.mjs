// The chart's liveness probe of a subgraph: exits 0 when GET /health on
// this instance answers 200. `node probe-live.mjs <port> <service>`; with
// INTERNAL_TLS_DIR set, over HTTPS with the instance's own certificate, as
// scripts/probe-ready.mjs asks /ready: the kubelet's own httpGet shows no
// client certificate, which the subgraphs refuse. Liveness is not readiness:
// a replica whose MinIO or PostgreSQL is down is not ready, but restarting it
// would not help.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';

const [port = '', service] = process.argv.slice(2);
const dir = process.env.INTERNAL_TLS_DIR;
const tls =
  dir && service
    ? {
        ca: readFileSync(join(dir, 'ca.crt')),
        cert: readFileSync(join(dir, 'tls.crt')),
        key: readFileSync(join(dir, 'tls.key')),
        servername: service,
      }
    : undefined;
const send = tls ? httpsRequest : httpRequest;
const outgoing = send(
  `${tls ? 'https' : 'http'}://127.0.0.1:${port}/health`,
  { ...tls, timeout: 2_500 },
  (answer) => process.exit(answer.statusCode === 200 ? 0 : 1),
);
outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
outgoing.on('error', () => process.exit(1));
outgoing.end();
