import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import type { RequestContext } from '@filegraph/shared/apollo';
import { measureOperation } from './measureOperation.ts';

export interface QueryLimits {
  /** Given to graphql-js `parse` as `maxTokens` (Apollo Server's `parseOptions`); named here for the message. */
  readonly maxQueryTokens: number;
  readonly maxQueryDepth: number;
  readonly maxQueryAliases: number;
  readonly maxQueryCost: number;
}

/** A count for a message: fragments that fan out can pass what a double holds exactly. */
function count(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : `more than ${Number.MAX_SAFE_INTEGER}`;
}

/** How graphql-js words its `maxTokens` refusal ("more that" is its spelling). */
const tooManyTokens = /^Syntax Error: Document contains more th(?:an|at) \d+ tokens/;

function refuse(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
  });
}

/**
 * Refuses, before anything runs, operations nested too deeply, with too many
 * aliases (one request asking for the same thing hundreds of times), or too
 * costly (list fields count once per item they may return). Documents with
 * more than `maxQueryTokens` tokens never get that far: `parse` stops them
 * (GRAPHQL_PARSE_FAILED, 400), and this plugin says which limit that was.
 */
export function queryLimits(limits: QueryLimits): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart() {
          return async (error) => {
            // Apollo builds the client's error from this one's message after this hook.
            if (error && tooManyTokens.test(error.message)) {
              error.message = `The query is longer than ${limits.maxQueryTokens} tokens (names, values and punctuation), the most allowed (MAX_QUERY_TOKENS).`;
            } else if (error instanceof RangeError) {
              // graphql-js parses recursively: ~1,500 nested lists ([[[…) fit in
              // fewer tokens than allowed yet overflow the stack.
              error.message = `The query nests too deeply to be read; fields may nest at most ${limits.maxQueryDepth} levels (MAX_QUERY_DEPTH).`;
            }
          };
        },
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION)
              fragments.set(definition.name.value, definition);
          }
          const { depth, aliases, cost } = measureOperation(
            schema,
            operation,
            fragments,
            request.variables ?? {},
          );
          if (depth > limits.maxQueryDepth) {
            throw refuse(
              `The query nests ${depth} levels deep; at most ${limits.maxQueryDepth} are allowed (MAX_QUERY_DEPTH).`,
            );
          }
          if (aliases > limits.maxQueryAliases) {
            throw refuse(
              `The query uses ${count(aliases)} aliases; at most ${limits.maxQueryAliases} are allowed (MAX_QUERY_ALIASES).`,
            );
          }
          if (cost > limits.maxQueryCost) {
            throw refuse(
              `The query could return ${count(cost)} fields; at most ${limits.maxQueryCost} are allowed (MAX_QUERY_COST). Ask for fewer items with \`first\`.`,
            );
          }
        },
      };
    },
  };
}
