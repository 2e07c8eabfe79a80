import type { AccountService } from '../accounts/AccountService.ts';
import type { UserResolvers } from '../generated/resolvers.ts';

export function userResolvers(accounts: AccountService): UserResolvers {
  return {
    __resolveReference: (reference, context) => accounts.reference(context.identity, reference.id),
    createdAt: (user) => user.createdAt.toISOString(),
    disabled: (user) => user.disabledAt !== undefined,
  };
}
