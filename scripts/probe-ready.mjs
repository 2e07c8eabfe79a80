// The containers' health check: exits 0 when GET /ready on this instance
// answers 200. `node scripts/probe-ready.mjs <port> [service] [path]`; with
// INTERNAL_TLS_DIR set, it asks over HTTPS with the instance's own
// certificate, as every client of a subgraph must (shared/src/tls), which is
// why Kubernetes' liveness probe runs it too, with path /health: the
// kubelet's own httpGet shows no certificate. Plain JavaScript: a check every
// few seconds should not load the TypeScript stripper.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';

const [port = '', service, path = '/ready'] = process.argv.slice(2);
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
  `${tls ? 'https' : 'http'}://127.0.0.1:${port}${path}`,
  { ...tls, timeout: 2_500 },
  (answer) => process.exit(answer.statusCode === 200 ? 0 : 1),
);
outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
outgoing.on('error', () => process.exit(1));
outgoing.end();
