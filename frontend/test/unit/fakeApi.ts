import type { FileNode } from '../../src/graphql/types.ts';

/** One request as the fake API saw it. */
export interface SeenRequest {
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown>;
  readonly headers: Headers;
  /** The uploaded files of a multipart request, by map key. */
  readonly files: File[];
  readonly init: RequestInit & {
    onUploadProgress?: (p: { loaded: number; total: number }) => void;
  };
}

export type Answer = Response | { data?: unknown; errors?: unknown[] } | Error;

/**
 * A `fetch` for urql that answers from a handler, parsing JSON and GraphQL
 * multipart requests the way the gateway does, and recording each request.
 */
export function fakeFetch(handler: (request: SeenRequest) => Answer | Promise<Answer>) {
  const seen: SeenRequest[] = [];
  const fetch = async (_url: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    let operations: { operationName?: string; query: string; variables?: Record<string, unknown> };
    const files: File[] = [];
    if (init.body instanceof FormData) {
      operations = JSON.parse(String(init.body.get('operations')));
      const map = JSON.parse(String(init.body.get('map'))) as Record<string, string[]>;
      for (const key of Object.keys(map)) files.push(init.body.get(key) as File);
    } else operations = JSON.parse(String(init.body));
    const operationName =
      operations.operationName ?? /(?:query|mutation)\s+(\w+)/.exec(operations.query)?.[1];
    const request: SeenRequest = {
      operationName,
      variables: operations.variables ?? {},
      headers: new Headers(init.headers),
      files,
      init: init as SeenRequest['init'],
    };
    seen.push(request);
    const answer = await handler(request);
    if (answer instanceof Error) throw answer;
    if (answer instanceof Response) return answer;
    return new Response(JSON.stringify(answer), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

export function fileNode(name: string, size = 10): FileNode {
  return {
    id: `id:${name}`,
    name,
    size,
    contentType: 'text/plain',
    checksum: `sum:${name}:${size}`,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    url: `/download/${encodeURIComponent(name)}`,
  };
}

/** Waits until `condition` holds (or fails after `ms`). */
export async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
