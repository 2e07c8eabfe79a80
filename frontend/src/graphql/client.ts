import { Client, fetchExchange, mapExchange, type Operation } from '@urql/core';
import { isUnauthenticated } from './problems.ts';
import { xhrFetch } from './xhrFetch.ts';

/**
 * The one GraphQL client. No cache exchange: lists are paged and patched by
 * the data modules, and every read should show what the server has now.
 * Its `fetch` runs on XHR so uploads can report progress and be cancelled.
 * `onUnauthenticated` hears of every answer that says nobody is signed in
 * (UNAUTHENTICATED), whichever part of the UI asked: the session is over.
 */
export function createGraphQLClient(
  options: {
    url?: string;
    fetch?: typeof fetch;
    onUnauthenticated?: (operation: Operation) => void;
  } = {},
): Client {
  const { onUnauthenticated } = options;
  return new Client({
    url: options.url ?? '/graphql',
    exchanges: [
      mapExchange({
        onError(error, operation) {
          if (onUnauthenticated && isUnauthenticated(error)) onUnauthenticated(operation);
        },
      }),
      fetchExchange,
    ],
    fetch: options.fetch ?? xhrFetch,
    requestPolicy: 'network-only',
    preferGetMethod: false,
  });
}

/**
 * Header Apollo Server's CSRF prevention wants on a multipart request
 * (https://www.apollographql.com/docs/apollo-server/security/cors#preventing-cross-site-request-forgery-csrf).
 */
export const uploadHeaders = { 'apollo-require-preflight': 'true' } as const;
