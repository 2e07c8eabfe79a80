import { randomUUID } from 'node:crypto';
import { identityHeader, identityKey, signIdentity, type Caller } from '@filegraph/shared/identity';

/**
 * The header the gateway sends a replica on `caller`'s behalf (null:
 * nobody), signed with the stack's secret: the replica checks it as it
 * checks the gateway's. It lives a minute (identityTtlMs): make it anew
 * for each run, or each request.
 */
export function vouchedFor(secret: string, caller: Caller | null): Record<string, string> {
  return {
    [identityHeader]: signIdentity(
      { caller, clientAddress: '127.0.0.1', requestId: randomUUID() },
      identityKey(secret),
    ),
  };
}
