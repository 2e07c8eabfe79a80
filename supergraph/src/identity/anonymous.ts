import { randomUUID, type KeyObject } from 'node:crypto';
import { identityHeader, signIdentity } from '@filegraph/shared/identity';

/** Headers for the gateway's own calls (schemas, readiness): signed, on nobody's behalf. */
export function anonymousHeaders(secret: KeyObject): () => Record<string, string> {
  return () => ({
    [identityHeader]: signIdentity(
      { caller: null, clientAddress: '', requestId: randomUUID() },
      secret,
    ),
  });
}
