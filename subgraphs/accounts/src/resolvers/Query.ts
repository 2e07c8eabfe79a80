import type { AccountService } from '../accounts/AccountService.ts';
import type { QueryResolvers } from '../generated/resolvers.ts';

export function queryResolvers(accounts: AccountService): QueryResolvers {
  return {
    me: (_, _args, context) => accounts.me(context.identity),
    users: async (_, args, context) => {
      const page = await accounts.users(context.identity, args);
      return {
        nodes: page.users,
        pageInfo: { hasNextPage: page.hasMore, endCursor: page.endCursor },
        totalCount: page.totalCount,
      };
    },
    tokens: (_, _args, context) => accounts.tokens(context.identity),
    setupNeeded: () => accounts.setupNeeded(),
  };
}
