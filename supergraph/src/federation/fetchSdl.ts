import { operationHeader } from './operationHeader.ts';

/** Federation's query for a subgraph's own schema (https://www.apollographql.com/docs/federation/subgraph-spec). */
const serviceDefinitionQuery = 'query __ApolloGetServiceDefinition__ { _service { sdl } }';

/** A subgraph's schema, asked of the subgraph itself (through the router when there is one). */
export async function fetchSdl(url: string, timeoutMs = 5_000): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [operationHeader]: 'query' },
    body: JSON.stringify({ query: serviceDefinitionQuery }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json().catch(() => undefined)) as
    { data?: { _service?: { sdl?: unknown } } } | undefined;
  const sdl = body?.data?._service?.sdl;
  if (!response.ok || typeof sdl !== 'string')
    throw new Error(`no schema from ${url} (HTTP ${response.status})`);
  return sdl;
}
