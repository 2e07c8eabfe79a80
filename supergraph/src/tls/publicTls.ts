import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, Unfit, type Kind } from '@filegraph/shared/config';
import type { PublicTls } from '@filegraph/shared/service';
import { httpsRedirect } from '../http/httpsRedirect.ts';

/** A PEM file as read at start: where it was and what it holds. */
interface PemFile<T> {
  readonly path: string;
  readonly pem: Buffer;
  readonly parsed: T;
}

function read(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Unfit(`cannot read ${path} (${(error as Error).message})`);
  }
}

/** TLS_CERT: the certificate people's browsers see, its chain after it (as certbot's fullchain.pem). */
export function pemCertificate(): Kind<PemFile<X509Certificate>> {
  return {
    expected: 'the path of a PEM certificate file (its chain after it)',
    parse: (path) => {
      const pem = read(path);
      let parsed: X509Certificate;
      try {
        parsed = new X509Certificate(pem);
      } catch {
        throw new Unfit(`${path} holds no PEM certificate`);
      }
      if (Date.parse(parsed.validTo) <= Date.now())
        throw new Unfit(`the certificate in ${path} expired on ${parsed.validTo}`);
      return { path, pem, parsed };
    },
  };
}

/** TLS_KEY: that certificate's private key, unencrypted (the process has nobody to ask for a passphrase). */
export function pemKey(): Kind<PemFile<KeyObject>> {
  return {
    expected: 'the path of a PEM private key file',
    parse: (path) => {
      const pem = read(path);
      try {
        return { path, pem, parsed: createPrivateKey(pem) };
      } catch {
        throw new Unfit(`${path} holds no unencrypted PEM private key`);
      }
    },
  };
}

/**
 * HTTPS at the public entry from TLS_CERT, TLS_KEY and HTTP_REDIRECT_PORT,
 * checked together: both files or neither, the key the certificate's, and a
 * redirect port only where there is HTTPS to redirect to. Undefined: plain HTTP.
 */
export function publicTlsOf(settings: {
  readonly tlsCert: PemFile<X509Certificate> | undefined;
  readonly tlsKey: PemFile<KeyObject> | undefined;
  readonly httpRedirectPort: number | undefined;
  readonly port: number;
  readonly publicOrigins: readonly string[];
}): PublicTls | undefined {
  const { tlsCert: cert, tlsKey: key, httpRedirectPort, port } = settings;
  if (!cert || !key) {
    const problems = [];
    if (cert || key)
      problems.push(
        `TLS_CERT and TLS_KEY go together: ${cert ? 'TLS_CERT' : 'TLS_KEY'} is set, ${cert ? 'TLS_KEY' : 'TLS_CERT'} is not (set both for HTTPS, neither for plain HTTP)`,
      );
    if (httpRedirectPort !== undefined)
      problems.push('HTTP_REDIRECT_PORT redirects to HTTPS, which needs TLS_CERT and TLS_KEY');
    if (problems.length > 0) throw new ConfigError(problems);
    return undefined;
  }
  if (!cert.parsed.checkPrivateKey(key.parsed))
    throw new ConfigError([
      `TLS_KEY: ${key.path} is not the private key of the certificate in TLS_CERT (${cert.path})`,
    ]);
  if (httpRedirectPort !== undefined && httpRedirectPort !== 0 && httpRedirectPort === port)
    throw new ConfigError([`HTTP_REDIRECT_PORT must differ from PORT (both ${port})`]);
  return {
    server: { cert: cert.pem, key: key.pem },
    redirect:
      httpRedirectPort === undefined
        ? undefined
        : { port: httpRedirectPort, listener: httpsRedirect(settings.publicOrigins) },
  };
}
