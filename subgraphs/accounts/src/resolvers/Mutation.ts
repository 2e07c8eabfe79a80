import type { RequestContext } from '@filegraph/shared/apollo';
import { signedIn } from '@filegraph/shared/identity';
import type { AccountService, SignedIn } from '../accounts/AccountService.ts';
import type { MutationResolvers } from '../generated/resolvers.ts';
import { clearSession, handOverSession, sessionOf } from '../http/sessionHeaders.ts';

/** Hands the new session to the gateway and answers with the user. */
function started(context: RequestContext, signed: SignedIn) {
  handOverSession(context.res, signed.session);
  return signed.user;
}

export function mutationResolvers(accounts: AccountService): MutationResolvers {
  return {
    signIn: async (_, args, context) =>
      started(
        context,
        await accounts.signIn(context.identity, args.email, args.password, sessionOf(context.res)),
      ),
    signOut: async (_, _args, context) => {
      signedIn(context.identity);
      clearSession(context.res);
      return accounts.signOut(context.identity, sessionOf(context.res));
    },
    changePassword: (_, args, context) =>
      accounts.changePassword(context.identity, args.current, args.new, sessionOf(context.res)),
    createUser: (_, args, context) => accounts.createUser(context.identity, args),
    signUp: async (_, args, context) =>
      started(context, await accounts.signUp(args, sessionOf(context.res))),
    setup: async (_, args, context) =>
      started(
        context,
        await accounts.setup(context.identity, args.code, args, sessionOf(context.res)),
      ),
    setRole: (_, args, context) => accounts.setRole(context.identity, args.id, args.role),
    disableUser: (_, args, context) => accounts.setDisabled(context.identity, args.id, true),
    enableUser: (_, args, context) => accounts.setDisabled(context.identity, args.id, false),
    createToken: (_, args, context) =>
      accounts.createToken(context.identity, args.name, args.expiresInDays),
    revokeToken: (_, args, context) => accounts.revokeToken(context.identity, args.id),
  };
}
