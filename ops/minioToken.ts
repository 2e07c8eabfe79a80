import { createHmac } from 'node:crypto';

/**
 * The bearer token Prometheus scrapes MinIO's metrics with: what
 * `mc admin prometheus generate` makes (a JWT, HS512, signed with the access
 * key's secret, issuer "prometheus"), made here so that compose's ops-config
 * step and the native stack need no mc and no running MinIO. MinIO checks it
 * against that access key's current secret (cmd/jwt.go,
 * metricsRequestAuthenticate): a new root password invalidates it.
 */
export function minioPrometheusToken(
  accessKey: string,
  secretKey: string,
  now = Date.now(),
): string {
  // mc's default lifetime: 100 years (defaultPrometheusJWTExpiry).
  const expires = Math.floor(now / 1000) + 100 * 365 * 24 * 3600;
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS512', typ: 'JWT' })}.${encode({
    exp: expires,
    sub: accessKey,
    iss: 'prometheus',
  })}`;
  const signature = createHmac('sha512', secretKey).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
