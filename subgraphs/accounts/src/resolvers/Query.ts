import type { RequestContext } from '@filegraph/shared/apollo';
import type { AccountService } from '../accounts/AccountService.ts';

export function queryResolvers(accounts: AccountService) {
  return {
    me: (_: unknown, _args: unknown, context: RequestContext) => accounts.me(context.identity),
    users: async (
      _: unknown,
      args: { first?: number | null; after?: string | null },
      context: RequestContext,
    ) => {
      const page = await accounts.users(context.identity, args);
      return {
        nodes: page.users,
        pageInfo: { hasNextPage: page.hasMore, endCursor: page.endCursor },
        totalCount: page.totalCount,
      };
    },
    tokens: (_: unknown, _args: unknown, context: RequestContext) =>
      accounts.tokens(context.identity),
    setupNeeded: () => accounts.setupNeeded(),
  };
}
