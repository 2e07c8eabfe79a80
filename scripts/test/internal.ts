import { request, type HttpAnswer, type HttpRequestOptions } from '@filegraph/shared/httpClient';
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
