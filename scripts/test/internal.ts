import { randomUUID } from 'node:crypto';
import { request, type HttpAnswer, type HttpRequestOptions } from '@filegraph/shared/httpClient';
import { identityHeader, identityKey, signIdentity, type Caller } from '@filegraph/shared/identity';
import type { Stack } from '../stack/startStack.ts';

/**
 * A request to one of the stack's internal services (a replica, the
 * router), made as the health service makes it: with its certificate when
 * the stack runs internal TLS, expecting `service`'s.
 */
export function internalRequest(
  stack: Stack,
  url: string,
  service: string,
  options: HttpRequestOptions = {},
): Promise<HttpAnswer> {
  return request(url, {
    signal: AbortSignal.timeout(10_000),
    ...options,
    agent: stack.tlsAs('health')?.agentFor(service),
  });
}

/**
 * The header the stack's gateway would send for `caller`, signed with this
 * run's IDENTITY_SECRET (or `secret`), fresh for each request: what a
 * replica reached around the gateway needs to answer at all.
 */
export function vouchedFor(
  stack: Stack,
  caller: Caller | null,
  secret: string = stack.identitySecret,
): () => Record<string, string> {
  return () => ({
    [identityHeader]: signIdentity(
      { caller, clientAddress: '127.0.0.1', requestId: randomUUID() },
      identityKey(secret),
    ),
  });
}
