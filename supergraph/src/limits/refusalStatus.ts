import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '@filegraph/shared/apollo';
import { errorStatus, isErrorCode } from '@filegraph/shared/errors';

/**
 * When a request is refused whole — no data at all, every error the same
 * code (nobody signed in, say) — the HTTP status says so too (401, 403, 404
 * …), as the README's errors table promises; a partial answer stays 200.
 */
export function refusalStatus(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data !== null || !errors?.length) return;
          const codes = new Set(errors.map((error) => error.extensions?.code));
          const [code] = codes;
          if (codes.size === 1 && isErrorCode(code)) response.http.status = errorStatus[code];
        },
      };
    },
  };
}
