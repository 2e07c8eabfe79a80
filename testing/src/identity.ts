import { randomUUID } from 'node:crypto';
import { identityHeader, identityKey, signIdentity, type Caller } from '@filegraph/shared/identity';

/** IDENTITY_SECRET of every service the tests start (startService), unless a test gives its own. */
export const testIdentitySecret = 'filegraph-tests-identity-secret-0123456789';

/** Callers for tests that talk to a subgraph directly, as the gateway would vouch for them. */
export const testCallers = {
  alice: { id: '0a11ce00-0000-4000-8000-000000000001', role: 'MEMBER', firstAdmin: false },
  bob: { id: '0b0b0000-0000-4000-8000-000000000002', role: 'MEMBER', firstAdmin: false },
  admin: { id: 'ad000000-0000-4000-8000-000000000003', role: 'ADMIN', firstAdmin: true },
} as const satisfies Record<string, Caller>;

/** The header the gateway would send for `caller` (null: nobody signed in), fresh for each request. */
export function signedAs(
  caller: Caller | null,
  secret: string = testIdentitySecret,
): () => Record<string, string> {
  return () => ({
    [identityHeader]: signIdentity(
      { caller, clientAddress: '127.0.0.1', requestId: randomUUID() },
      identityKey(secret),
    ),
  });
}
