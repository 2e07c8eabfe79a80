import type { Response } from 'express';
import type { IssuedSession } from '../accounts/AccountService.ts';

/**
 * How sessions cross between accounts and the gateway, which alone reads
 * and sets cookies: accounts hands a new session over in a response header
 * and the gateway makes it the HttpOnly cookie; on requests to accounts,
 * the gateway forwards the cookie's value so that sign-out, sign-in and
 * password changes know which session the request came with.
 */

/** Response: `<session id>; Max-Age=<seconds>`, or `; Max-Age=0` to clear the cookie. */
export const sessionHeader = 'x-filegraph-session';
/** Request: the session cookie's value, as the gateway forwards it to accounts only. */
export const sessionIdHeader = 'x-filegraph-session-id';

export function handOverSession(res: Response, session: IssuedSession): void {
  res.setHeader(sessionHeader, `${session.id}; Max-Age=${session.maxAgeSeconds}`);
}

export function clearSession(res: Response): void {
  res.setHeader(sessionHeader, '; Max-Age=0');
}

/** The session the request came with (the response's request: resolvers hold the response). */
export function sessionOf(res: Response): string | undefined {
  return res.req.get(sessionIdHeader) || undefined;
}
