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
    deletedAt: null,
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

/** A file in the trash, deleted at `deletedAt`. */
export function trashedNode(name: string, deletedAt: string, size = 10): FileNode {
  return { ...fileNode(name, size), deletedAt };
}

/**
 * The trash part of the files API over an in-memory list (most recently
 * deleted first): pages with offset cursors, restore all or none with
 * CONFLICT for a name in `taken`, emptying. Anything else is refused.
 */
export function fakeTrash(files: FileNode[], taken: ReadonlySet<string> = new Set()) {
  const trash = [...files];
  const api = fakeFetch((request) => {
    const variables = request.variables as {
      first?: number;
      after?: string | null;
      ids?: string[];
    };
    switch (request.operationName) {
      case 'Trash': {
        const start = variables.after ? Number(variables.after) : 0;
        const nodes = trash.slice(start, start + (variables.first ?? 50));
        const end = start + nodes.length;
        return {
          data: {
            trash: {
              nodes,
              pageInfo: {
                hasNextPage: end < trash.length,
                endCursor: nodes.length ? String(end) : null,
              },
              totalCount: trash.length,
            },
          },
        };
      }
      case 'RestoreFiles': {
        const ids = new Set(variables.ids);
        const chosen = trash.filter((file) => ids.has(file.id));
        const clash = chosen.find((file) => taken.has(file.name));
        if (clash) {
          return {
            errors: [
              {
                message: `"${clash.name}" can't be restored: that name is taken again. Nothing was restored.`,
                extensions: { code: 'CONFLICT' },
              },
            ],
          };
        }
        for (const file of chosen) trash.splice(trash.indexOf(file), 1);
        return { data: { restoreFiles: chosen.map((file) => ({ ...file, deletedAt: null })) } };
      }
      case 'EmptyTrash':
        return { data: { emptyTrash: trash.splice(0).length } };
      default:
        return { errors: [{ message: `not faked: ${request.operationName}` }] };
    }
  });
  return { ...api, trash };
}
