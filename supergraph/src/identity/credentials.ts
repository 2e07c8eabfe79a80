import type { IncomingHttpHeaders } from 'node:http';

/** The browser's session cookie; HttpOnly, so no script of any page reads it. */
export const sessionCookie = 'fg_session';

/** The raw session cookie value sent to the accounts subgraph alone (it revokes it at sign-out). */
export const sessionIdHeader = 'x-filegraph-session-id';

/** How the accounts subgraph hands a new session (or its end) to the gateway: `<id>; Max-Age=<s>`. */
export const sessionHandoffHeader = 'x-filegraph-session';

export type Credential =
  | { readonly kind: 'token'; readonly value: string }
  | { readonly kind: 'session'; readonly value: string };

/** The value of one cookie in a Cookie header, if well formed. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      return /^[\w-]{16,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * What a request says about who sends it: a Bearer token wins over the
 * session cookie (a script in a browser tab means the token). A malformed
 * Authorization header is a credential that will not check out.
 */
export function credentialOf(headers: IncomingHttpHeaders): Credential | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S{1,512})$/i.exec(authorization.trim());
    return { kind: 'token', value: match?.[1] ?? '' };
  }
  const session = cookieValue(headers.cookie, sessionCookie);
  return session ? { kind: 'session', value: session } : undefined;
}
