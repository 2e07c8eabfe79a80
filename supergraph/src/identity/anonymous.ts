import { randomUUID } from 'node:crypto';
import { identityHeader, signIdentity } from '@filegraph/shared/identity';

/** Headers for the gateway's own calls (schemas, readiness): signed, on nobody's behalf. */
export function anonymousHeaders(secret: Buffer): () => Record<string, string> {
  return () => ({
    [identityHeader]: signIdentity(
      { caller: null, clientAddress: '', requestId: randomUUID() },
      secret,
    ),
  });
}
