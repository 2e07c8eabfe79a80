import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The secrets accounts hand out: session ids and API tokens (32 random
 * bytes each, so a plain SHA-256 is enough to keep them: nothing to guess
 * from the hash) and the one-time setup code. Only their hashes are stored.
 */

const secretBytes = 32;
/** What every API token starts with, so secret scanners and people can tell one. */
export const tokenPrefix = 'fg_';
const base64urlOf32 = /^[A-Za-z0-9_-]{43}$/;

export function newSessionId(): string {
  return randomBytes(secretBytes).toString('base64url');
}

export function newApiToken(): string {
  return `${tokenPrefix}${randomBytes(secretBytes).toString('base64url')}`;
}

export function isSessionId(value: string): boolean {
  return base64urlOf32.test(value);
}

export function isApiToken(value: string): boolean {
  return value.startsWith(tokenPrefix) && base64urlOf32.test(value.slice(tokenPrefix.length));
}

/** SHA-256, base64url: what the store keeps of a session id, token or setup code. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Compares two hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 10 base32 characters (50 bits), shown as ABCDE-FGHIJ. */
export function newSetupCode(): string {
  const chars = [...randomBytes(10)].map((byte) => base32[byte & 31]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** A setup code as typed: case, spaces and hyphens do not matter. */
export function normalizeSetupCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}
