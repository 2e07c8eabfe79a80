import { Client, fetchExchange } from '@urql/core';
import { xhrFetch } from './xhrFetch.ts';

/**
 * The one GraphQL client. No cache exchange: lists are paged and patched by
 * the data modules, and every read should show what the server has now.
 * Its `fetch` runs on XHR so uploads can report progress and be cancelled.
 */
export function createGraphQLClient(options: { url?: string; fetch?: typeof fetch } = {}): Client {
  return new Client({
    url: options.url ?? '/graphql',
    exchanges: [fetchExchange],
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
