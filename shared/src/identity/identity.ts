import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { AppError } from '../errors.ts';

/**
 * Who is calling, as the gateway established it once per request (from the
 * session cookie or the Bearer token) and vouches for it to every subgraph
 * in a signed, short-lived header. Subgraphs trust this header and nothing
 * else: a request without it, with a forged one or an expired one is
 * refused, so a replica reached around the gateway serves nothing.
 */
export type Role = 'ADMIN' | 'MEMBER';

export interface Caller {
  readonly id: string;
  readonly role: Role;
  /** The first admin: files stored before accounts existed are theirs. */
  readonly firstAdmin: boolean;
}

export interface Identity {
  /** null: nobody signed in (only signing in, setup and share links work then). */
  readonly caller: Caller | null;
  /** The client's address as the gateway saw it (sign-in throttling). */
  readonly clientAddress: string;
  /** The request's id, set at the gateway. */
  readonly requestId: string;
}

export const identityHeader = 'x-filegraph-identity';

/** How long a signed identity is good for: one request's hops, with room for slow clocks. */
export const identityTtlMs = 60_000;

const version = 'v1';

interface Payload {
  readonly c: { readonly i: string; readonly r: Role; readonly f: boolean } | null;
  readonly a: string;
  readonly q: string;
  /** Expires at, ms since 1970. */
  readonly e: number;
}

/**
 * The secret the gateway and subgraphs share, as a key object made once:
 * an HMAC keyed with a plain Buffer costs ~5× more (~20 µs against ~4).
 */
export function identityKey(secret: string | Buffer): KeyObject {
  return createSecretKey(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret);
}

function mac(secret: KeyObject, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest();
}

/** The header value the gateway sends: `v1.<payload>.<HMAC-SHA256>`, base64url. */
export function signIdentity(identity: Identity, secret: KeyObject, now = Date.now()): string {
  const { caller } = identity;
  const payload: Payload = {
    c: caller && { i: caller.id, r: caller.role, f: caller.firstAdmin },
    a: identity.clientAddress,
    q: identity.requestId,
    e: now + identityTtlMs,
  };
  const signed = `${version}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signed}.${mac(secret, signed).toString('base64url')}`;
}

const refused = (why: string) =>
  new AppError(
    'UNAUTHENTICATED',
    `This request carries no valid identity from the gateway (${why}); subgraphs answer the gateway only.`,
  );

/** The identity a subgraph was sent, or UNAUTHENTICATED when it is missing, forged or expired. */
export function verifyIdentity(
  header: string | undefined,
  secret: KeyObject,
  now = Date.now(),
): Identity {
  if (!header) throw refused('none was sent');
  const parts = header.split('.');
  if (parts.length !== 3 || parts[0] !== version) throw refused('it is malformed');
  const [, body = '', signature = ''] = parts;
  const expected = mac(secret, `${version}.${body}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw refused('its signature is wrong');
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
  } catch {
    throw refused('it is malformed');
  }
  if (typeof payload.e !== 'number' || payload.e <= now) throw refused('it has expired');
  if (payload.e - now > identityTtlMs) throw refused('it claims to live too long');
  const caller = payload.c;
  return {
    caller:
      caller && typeof caller.i === 'string' && (caller.r === 'ADMIN' || caller.r === 'MEMBER')
        ? { id: caller.i, role: caller.r, firstAdmin: caller.f === true }
        : null,
    clientAddress: typeof payload.a === 'string' ? payload.a : '',
    requestId: typeof payload.q === 'string' ? payload.q : '',
  };
}

/** What anyone not signed in is told. */
export const notSignedIn = () =>
  new AppError(
    'UNAUTHENTICATED',
    'Sign in first, or send an API token (Authorization: Bearer <token>).',
  );

/** The caller, or UNAUTHENTICATED: for every operation but signing in, setup and share links. */
export function signedIn(identity: Identity): Caller {
  if (!identity.caller) throw notSignedIn();
  return identity.caller;
}

/** The caller, if an admin; FORBIDDEN otherwise. */
export function admin(identity: Identity): Caller {
  const caller = signedIn(identity);
  if (caller.role !== 'ADMIN') throw new AppError('FORBIDDEN', 'Only an admin may do this.');
  return caller;
}
