import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadInternalTls, type InternalTls } from '@filegraph/shared/tls';
import { root } from './root.ts';
import { requireTool } from './tools.ts';

/**
 * Makes (or keeps) the internal CA and a certificate for each service under
 * `dir` with tls/make-certs.sh, as an operator would: `<dir>/<service>` is
 * that service's INTERNAL_TLS_DIR.
 */
export async function makeCerts(dir: string, services: readonly string[]): Promise<void> {
  requireTool('openssl');
  await promisify(execFile)(join(root, 'tls/make-certs.sh'), [dir, ...services], {
    timeout: 30_000,
  });
}

/** Certificates under a fresh CA in `dir`, read as the services read them. */
export async function certificates(
  dir: string,
  services: readonly string[],
): Promise<Record<string, InternalTls>> {
  await makeCerts(dir, services);
  return Object.fromEntries(services.map((name) => [name, loadInternalTls(join(dir, name))]));
}

/** A self-signed certificate for localhost and 127.0.0.1 and its key, as PEM files in `dir` (TLS_CERT, TLS_KEY). */
export async function selfSigned(
  dir: string,
  name: string,
): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await promisify(execFile)(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'],
      ...['-nodes', '-days', '1', '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      ...['-keyout', key, '-out', cert],
    ],
    { timeout: 30_000 },
  );
  return { cert, key };
}
