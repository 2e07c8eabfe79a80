import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent, type ServerOptions } from 'node:https';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { optional, Unfit, type Kind } from '../config.ts';
import { keptAlive } from '../nodeHttp.ts';

/**
 * Service-to-service TLS on the internal network (issue 19): every hop
 * between our services (gateway → HAProxy → replicas, health → instances,
 * Consul's checks) shows a certificate of the private CA that
 * tls/make-certs.sh makes, both ways. A process that registered itself in
 * Consul without one gets no request: the handshake fails before a byte of
 * it is sent. A certificate names its service (DNS:<service>); peers are
 * checked against the service they should be, not their address, which
 * changes with every container.
 */
export interface InternalTls {
  /** The folder it was read from: ca.crt, tls.crt and tls.key. */
  readonly dir: string;
  /** The service this certificate names. */
  readonly name: string;
  /** For https.createServer: our certificate, and clients must show one of the CA's. */
  readonly server: ServerOptions;
  /** Connections (kept alive) to instances of `service`, which must show the CA's certificate naming it. */
  agentFor(service: string): HttpsAgent;
  /** Resolves once a TLS handshake with `service` at host:port succeeds both ways; nothing else is sent. */
  verifyPeer(host: string, port: number, service: string, timeoutMs: number): Promise<void>;
}

const files = ['ca.crt', 'tls.crt', 'tls.key'] as const;

/** Reads and checks a folder in the layout tls/make-certs.sh and Kubernetes TLS secrets share. */
export function loadInternalTls(dir: string): InternalTls {
  const read = (file: (typeof files)[number]) => {
    try {
      return readFileSync(join(dir, file));
    } catch (error) {
      throw new Unfit(`cannot read ${join(dir, file)} (${(error as Error).message})`);
    }
  };
  const [ca, cert, key] = files.map(read) as [Buffer, Buffer, Buffer];
  const parsed = (pem: Buffer, file: string) => {
    try {
      return new X509Certificate(pem);
    } catch {
      throw new Unfit(`${file} in ${dir} is not a PEM certificate`);
    }
  };
  const authority = parsed(ca, 'ca.crt');
  const own = parsed(cert, 'tls.crt');
  try {
    if (!own.checkPrivateKey(createPrivateKey(key))) throw new Error('mismatch');
  } catch {
    throw new Unfit(`tls.key in ${dir} is not the key of tls.crt`);
  }
  if (!own.checkIssued(authority) || !own.verify(authority.publicKey)) {
    throw new Unfit(`tls.crt in ${dir} is not signed by ca.crt`);
  }
  if (Date.parse(own.validTo) <= Date.now()) {
    throw new Unfit(`tls.crt in ${dir} expired on ${own.validTo}: run tls/make-certs.sh again`);
  }
  const name = /DNS:([^,\s]+)/.exec(own.subjectAltName ?? '')?.[1];
  if (!name) throw new Unfit(`tls.crt in ${dir} names no service (no DNS subject alt name)`);

  const agents = new Map<string, HttpsAgent>();
  return {
    dir,
    name,
    server: { ca, cert, key, requestCert: true, rejectUnauthorized: true },
    agentFor(service) {
      let agent = agents.get(service);
      if (!agent) {
        agent = new HttpsAgent({ ...keptAlive, ca, cert, key, servername: service });
        agents.set(service, agent);
      }
      return agent;
    },
    verifyPeer(host, port, service, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const socket = connect({ host, port, ca, cert, key, servername: service });
        socket.setTimeout(timeoutMs, () =>
          socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)),
        );
        socket.once('secureConnect', () => {
          socket.end();
          resolve();
        });
        socket.once('error', reject);
      });
    },
  };
}

/** INTERNAL_TLS_DIR, read and checked once at start. */
function tlsFolder(): Kind<InternalTls> {
  return {
    expected: 'a folder holding ca.crt, tls.crt and tls.key (tls/make-certs.sh makes them)',
    parse: (raw) => loadInternalTls(raw),
  };
}

/** For the services that talk on the internal network: the gateway, files and health. */
export const internalTlsSettings = {
  internalTls: optional(
    'INTERNAL_TLS_DIR',
    "Folder with this service's certificate of the internal CA (ca.crt, tls.crt, tls.key; tls/make-certs.sh makes them): subgraphs then serve HTTPS to clients holding the CA's certificates only, and every call between services shows one; unset: plain HTTP (the embedded default)",
    tlsFolder(),
  ),
};
