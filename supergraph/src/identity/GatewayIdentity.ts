import type { KeyObject } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@filegraph/shared/errors';
import { requestIdOf, sendError } from '@filegraph/shared/http';
import { identityHeader, signIdentity, type Identity } from '@filegraph/shared/identity';
import { allowedHost } from '../http/allowedHost.ts';
import type { CallerLookup } from './CallerLookup.ts';
import {
  cookieValue,
  credentialOf,
  sessionCookie,
  sessionHandoffHeader,
  sessionIdHeader,
} from './credentials.ts';

const identities = new WeakMap<Request, Identity>();

/**
 * The one place that reads cookies and tokens: once per request, before
 * GraphQL and downloads, it finds who is calling and keeps it for the
 * request; every subgraph call then carries it signed (headersFor).
 * - A Bearer token that does not check out is refused (401): a script must
 *   hear that its token is wrong, not act as nobody.
 * - A session cookie that no longer checks out is cleared and the request
 *   goes on as nobody's, which can only sign in.
 * - A cookie sent by a page of another origin is refused (403): a session
 *   acts only for pages of this gateway (CSRF, with Apollo's own prevention).
 */
export class GatewayIdentity {
  readonly #lookup: CallerLookup;
  readonly #secret: KeyObject;
  readonly #sameOrigin: (host: string | undefined) => boolean;
  /** Hosts people reach us by over HTTPS (at a proxy in front, say): cookies there are Secure. */
  readonly #httpsHosts: ReadonlySet<string>;

  constructor(lookup: CallerLookup, secret: KeyObject, publicOrigins: readonly string[]) {
    this.#lookup = lookup;
    this.#secret = secret;
    this.#sameOrigin = allowedHost(publicOrigins);
    this.#httpsHosts = new Set(
      publicOrigins
        .filter((origin) => origin.startsWith('https:'))
        .flatMap((origin) => {
          const { host, hostname, port } = new URL(origin);
          return port === '' ? [hostname, `${hostname}:443`] : [host];
        }),
    );
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      this.#identify(req, res).then(
        (identity) => {
          identities.set(req, identity);
          next();
        },
        (error: unknown) =>
          error instanceof AppError ? sendError(res, error) : next(error as Error),
      );
    };
  }

  async #identify(req: Request, res: Response): Promise<Identity> {
    const clientAddress = req.socket.remoteAddress ?? '';
    const nobody: Identity = { caller: null, clientAddress, requestId: requestIdOf(req) };
    const credential = credentialOf(req.headers);
    if (!credential) return nobody;
    if (credential.kind === 'session') {
      const origin = req.get('origin');
      if (origin !== undefined && !this.#fromThisGateway(origin))
        throw new AppError(
          'FORBIDDEN',
          'A page of another origin sent this request with your session; it is refused.',
        );
    }
    const caller = credential.value
      ? await this.#lookup.callerOf(credential, clientAddress, nobody.requestId)
      : null;
    if (caller) return { ...nobody, caller };
    if (credential.kind === 'token')
      throw new AppError(
        'UNAUTHENTICATED',
        'This API token is unknown, expired or revoked; create a new one (createToken).',
      );
    this.handOff(req, res, '', 0);
    return nobody;
  }

  #fromThisGateway(origin: string): boolean {
    if (!URL.canParse(origin)) return false;
    return this.#sameOrigin(new URL(origin).host);
  }

  /** Who is calling, as found for this request. */
  of(req: Request): Identity {
    const identity = identities.get(req);
    if (!identity) throw new Error('GatewayIdentity.of called before its middleware ran');
    return identity;
  }

  /** Headers for a call to `service` on this request's behalf (the session id goes to accounts alone). */
  headersFor(
    req: Request | undefined,
    service: string,
    identity?: Identity,
  ): Record<string, string> {
    const who = identity ??
      (req && identities.get(req)) ?? {
        caller: null,
        clientAddress: '',
        requestId: req ? requestIdOf(req) : '',
      };
    const headers: Record<string, string> = { [identityHeader]: signIdentity(who, this.#secret) };
    const session = req && cookieValue(req.headers.cookie, sessionCookie);
    if (service === 'accounts' && session) headers[sessionIdHeader] = session;
    return headers;
  }

  /** The accounts subgraph's `x-filegraph-session` answer, as the browser's cookie. */
  fromAccounts(req: Request, res: Response, handoff: string | undefined): void {
    if (handoff === undefined) return;
    const match = /^([\w-]*);\s*Max-Age=(\d+)$/.exec(handoff.trim());
    if (!match) return;
    // The session this request came with has ended (sign-out, new sign-in): not even our cache keeps it.
    const ended = cookieValue(req.headers.cookie, sessionCookie);
    if (ended) this.#lookup.forget({ kind: 'session', value: ended });
    this.handOff(req, res, match[1] ?? '', Number(match[2]));
  }

  /** Sets (or, with Max-Age 0, clears) the session cookie. */
  handOff(req: Request, res: Response, value: string, maxAgeSeconds: number): void {
    if (res.headersSent) return;
    // Secure where the browser reached us over HTTPS (here, or at a proxy named in PUBLIC_ORIGINS).
    const secure = req.secure || this.#httpsHosts.has((req.headers.host ?? '').toLowerCase());
    res.cookie(sessionCookie, value, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: maxAgeSeconds * 1000,
    });
  }
}

export { sessionHandoffHeader };
