import type { Agent } from 'node:http';
import { request } from '@filegraph/shared/httpClient';
import { operationHeader } from './operationHeader.ts';

/** Federation's query for a subgraph's own schema (https://www.apollographql.com/docs/federation/subgraph-spec). */
const serviceDefinitionQuery = 'query __ApolloGetServiceDefinition__ { _service { sdl } }';

/** A subgraph's schema, asked of the subgraph itself (through the router when there is one). */
export async function fetchSdl(
  url: string,
  headers: Record<string, string>,
  agent?: Agent,
  timeoutMs = 5_000,
): Promise<string> {
  const answer = await request(url, {
    agent,
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', [operationHeader]: 'query' },
    body: JSON.stringify({ query: serviceDefinitionQuery }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  let sdl: unknown;
  try {
    sdl = (JSON.parse(answer.text) as { data?: { _service?: { sdl?: unknown } } } | null)?.data
      ?._service?.sdl;
  } catch {
    // Not JSON: no schema, said below.
  }
  if (!answer.ok || typeof sdl !== 'string')
    throw new Error(`no schema from ${url} (HTTP ${answer.status})`);
  return sdl;
}
