import { createHash, type KeyObject } from 'node:crypto';
import type { Agent } from 'node:http';
import { AppError } from '@filegraph/shared/errors';
import { requestIdHeader } from '@filegraph/shared/http';
import { request } from '@filegraph/shared/httpClient';
import { identityHeader, signIdentity, type Caller } from '@filegraph/shared/identity';
import type { Credential } from './credentials.ts';

/**
 * Who a credential belongs to, asked of the accounts subgraph
 * (`POST …/accounts/identity`) and remembered for a few seconds, so a
 * signed-in request costs no lookup most of the time, and a revoked token
 * or session stops working within `cacheMs`.
 */
const cacheKey = (credential: Credential) =>
  createHash('sha256').update(`${credential.kind}:${credential.value}`).digest('hex');

export class CallerLookup {
  readonly #identityUrl: () => string | undefined;
  readonly #secret: KeyObject;
  readonly #agent: Agent | undefined;
  readonly #cacheMs: number;
  readonly #maxEntries: number;
  readonly #known = new Map<string, { caller: Caller | null; until: number }>();

  constructor(options: {
    /** Where the accounts subgraph's /identity is now; undefined while it is not composed. */
    identityUrl: () => string | undefined;
    secret: KeyObject;
    agent?: Agent;
    cacheMs?: number;
    maxEntries?: number;
  }) {
    this.#identityUrl = options.identityUrl;
    this.#secret = options.secret;
    this.#agent = options.agent;
    this.#cacheMs = options.cacheMs ?? 5_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  /**
   * The caller, or null when the credential is unknown, expired, revoked or its user disabled.
   * `requestId`: the request that asks, so that the lookup's log lines are found with it.
   */
  async callerOf(
    credential: Credential,
    clientAddress: string,
    requestId: string,
  ): Promise<Caller | null> {
    const key = cacheKey(credential);
    const now = performance.now();
    const known = this.#known.get(key);
    if (known && known.until > now) return known.caller;
    const caller = await this.#ask(credential, clientAddress, requestId);
    // Oldest first out: a Map keeps insertion order.
    this.#known.delete(key);
    if (this.#known.size >= this.#maxEntries)
      this.#known.delete(this.#known.keys().next().value ?? '');
    this.#known.set(key, { caller, until: now + this.#cacheMs });
    return caller;
  }

  /** Forgets a credential this gateway saw end (a sign-out), so it stops working here at once. */
  forget(credential: Credential): void {
    this.#known.delete(cacheKey(credential));
  }

  async #ask(
    credential: Credential,
    clientAddress: string,
    requestId: string,
  ): Promise<Caller | null> {
    const url = this.#identityUrl();
    const unavailable = (cause?: unknown) =>
      new AppError('UNAVAILABLE', 'The accounts service is not answering; try again shortly.', {
        cause,
      });
    if (!url) throw unavailable();
    let answer;
    try {
      answer = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [requestIdHeader]: requestId,
          [identityHeader]: signIdentity({ caller: null, clientAddress, requestId }, this.#secret),
        },
        body: JSON.stringify({
          session: credential.kind === 'session' ? credential.value : null,
          token: credential.kind === 'token' ? credential.value : null,
        }),
        agent: this.#agent,
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      throw unavailable(error);
    }
    if (!answer.ok)
      throw unavailable(new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`));
    const { caller } = JSON.parse(answer.text) as { caller: Caller | null };
    return caller && typeof caller.id === 'string' ? caller : null;
  }
}
