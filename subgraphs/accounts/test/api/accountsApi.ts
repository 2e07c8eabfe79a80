import { randomUUID } from 'node:crypto';
import { identityHeader, identityKey, signIdentity, type Caller } from '@filegraph/shared/identity';
import { testIdentitySecret } from '@filegraph/testing/identity';

/**
 * How the API tests talk to a real accounts process, as the gateway does:
 * GraphQL at /graphql and POST /identity, each request with a signed
 * identity, the session id in `x-filegraph-session-id`, and the session
 * handed back in `x-filegraph-session`.
 */

export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly data?: T | null;
  readonly errors?: ReadonlyArray<{ message: string; extensions?: { code?: string } }>;
}

/** Who the gateway says is calling, and from where. */
export interface As {
  readonly caller: Caller | null;
  /** The client's address (sign-in throttling counts per address). */
  readonly address?: string;
  /** The session cookie's value, forwarded to accounts alone. */
  readonly session?: string;
  /** The identity header as is (a forged or expired one); none at all when null. */
  readonly header?: string | null;
}

export const nobody = (address = '192.0.2.1'): As => ({ caller: null, address });

function headersOf(as: As): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signed =
    as.header !== undefined
      ? as.header
      : signIdentity(
          { caller: as.caller, clientAddress: as.address ?? '192.0.2.1', requestId: randomUUID() },
          identityKey(testIdentitySecret),
        );
  if (signed !== null) headers[identityHeader] = signed;
  if (as.session !== undefined) headers['x-filegraph-session-id'] = as.session;
  return headers;
}

async function post<T>(url: string, body: unknown, as: As): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: headersOf(as),
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, ...(JSON.parse(text) as object) };
}

export function graphql<T = Record<string, unknown>>(
  url: string,
  as: As,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Answer<T>> {
  return post<T>(`${url}/graphql`, { query, variables }, as);
}

/** POST /identity as the gateway asks it: who a session id or token stands for. */
export async function identity(
  url: string,
  credentials: { session?: string | null; token?: string | null },
  as: As = nobody(),
): Promise<Answer & { caller?: Caller | null }> {
  return post(`${url}/identity`, credentials, as);
}

export const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code;

/** The session accounts handed over: `<id>; Max-Age=<s>`. */
export function handedOver(answer: Answer): { id: string; maxAge: number } | undefined {
  const match = /^([\w-]*);\s*Max-Age=(\d+)$/.exec(answer.headers.get('x-filegraph-session') ?? '');
  return match ? { id: match[1] ?? '', maxAge: Number(match[2]) } : undefined;
}

export const signInMutation =
  'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { id email role } }';

export interface SignedIn {
  readonly user: { id: string; email: string; role: 'ADMIN' | 'MEMBER' };
  readonly session: string;
}

/** Signs in (from `address`); throws when that fails. */
export async function signIn(
  url: string,
  who: { email: string; password: string },
  as: As = nobody(),
): Promise<SignedIn & { answer: Answer }> {
  const answer = await graphql<{ signIn: SignedIn['user'] }>(url, as, signInMutation, {
    e: who.email,
    p: who.password,
  });
  const session = handedOver(answer);
  if (!answer.data?.signIn || !session)
    throw new Error(`sign-in as ${who.email} failed: ${JSON.stringify(answer.errors)}`);
  return { user: answer.data.signIn, session: session.id, answer };
}

/** Where a test keeps accounts: each call a fresh, empty store, as the env that selects it. */
export interface StoreTarget {
  newStore(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}
