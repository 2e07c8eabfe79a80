import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadInternalTls, type InternalTls } from '@filegraph/shared/tls';
import { root } from './services.ts';

/**
 * Makes (or keeps) the internal CA and a certificate for each service under
 * `dir` with tls/make-certs.sh, as an operator would: `<dir>/<service>` is
 * that service's INTERNAL_TLS_DIR.
 */
export async function makeCerts(dir: string, services: readonly string[]): Promise<void> {
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
