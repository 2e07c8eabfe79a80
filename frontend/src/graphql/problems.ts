import type { CombinedError } from '@urql/core';

/** What went wrong, in words for the person using the UI, with the API's code. */
export interface Problem {
  /** The API's `extensions.code`, or NETWORK / CANCELLED / HTTP for failures outside GraphQL. */
  readonly code: string;
  readonly message: string;
}

const serverDown =
  'The server is not answering. Check your connection or that filegraph is running, then try again.';

/** Messages for codes whose server text is not meant for people. */
const generic: Record<string, string> = {
  INTERNAL_SERVER_ERROR:
    'Something went wrong on the server. Try again; if it keeps happening, look at the server logs.',
  QUERY_TOO_COMPLEX: 'The request was too large for the server. Try a smaller page or selection.',
};

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function problemOf(error: CombinedError): Problem {
  const first = error.graphQLErrors[0];
  if (first) {
    const code = typeof first.extensions.code === 'string' ? first.extensions.code : 'UNKNOWN';
    return { code, message: generic[code] ?? first.message };
  }
  if (isAbort(error.networkError)) return { code: 'CANCELLED', message: 'Cancelled.' };
  const status = error.response instanceof Response ? error.response.status : undefined;
  // Without a GraphQL answer (a proxy in front, say), the status still says what happened.
  if (status === 401) {
    return { code: 'UNAUTHENTICATED', message: 'Your session has ended. Sign in again.' };
  }
  if (status === 413) {
    return { code: 'PAYLOAD_TOO_LARGE', message: 'The file is larger than the server accepts.' };
  }
  if (status !== undefined && status >= 500) {
    return {
      code: 'UNAVAILABLE',
      message: `The server is unavailable (HTTP ${status}). Try again in a moment.`,
    };
  }
  if (status !== undefined && status >= 400) {
    return { code: 'HTTP', message: `The server refused the request (HTTP ${status}).` };
  }
  return { code: 'NETWORK', message: serverDown };
}

/** Nobody is signed in (any more): the session ended, expired, or its account was disabled. */
export function isUnauthenticated(error: CombinedError): boolean {
  return problemOf(error).code === 'UNAUTHENTICATED';
}
