import type { RequestContext } from '@filegraph/shared/apollo';
import type { UserRecord } from '../accounts/AccountStore.ts';
import type { AccountService } from '../accounts/AccountService.ts';

export function userResolvers(accounts: AccountService) {
  return {
    __resolveReference: (reference: { id: string }, context: RequestContext) =>
      accounts.reference(context.identity, reference.id),
    createdAt: (user: UserRecord) => user.createdAt.toISOString(),
    disabled: (user: UserRecord) => user.disabledAt !== undefined,
  };
}
