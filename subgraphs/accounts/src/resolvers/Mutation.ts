import type { RequestContext } from '@filegraph/shared/apollo';
import { signedIn, type Role } from '@filegraph/shared/identity';
import type { AccountService, NewUserInput, SignedIn } from '../accounts/AccountService.ts';
import { clearSession, handOverSession, sessionOf } from '../http/sessionHeaders.ts';

/** Hands the new session to the gateway and answers with the user. */
function started(context: RequestContext, signed: SignedIn) {
  handOverSession(context.res, signed.session);
  return signed.user;
}

export function mutationResolvers(accounts: AccountService) {
  return {
    signIn: async (
      _: unknown,
      args: { email: string; password: string },
      context: RequestContext,
    ) =>
      started(
        context,
        await accounts.signIn(context.identity, args.email, args.password, sessionOf(context.res)),
      ),
    signOut: async (_: unknown, _args: unknown, context: RequestContext) => {
      signedIn(context.identity);
      clearSession(context.res);
      return accounts.signOut(context.identity, sessionOf(context.res));
    },
    changePassword: (_: unknown, args: { current: string; new: string }, context: RequestContext) =>
      accounts.changePassword(context.identity, args.current, args.new, sessionOf(context.res)),
    createUser: (_: unknown, args: NewUserInput, context: RequestContext) =>
      accounts.createUser(context.identity, args),
    signUp: async (_: unknown, args: NewUserInput, context: RequestContext) =>
      started(context, await accounts.signUp(args, sessionOf(context.res))),
    setup: async (_: unknown, args: NewUserInput & { code: string }, context: RequestContext) =>
      started(
        context,
        await accounts.setup(context.identity, args.code, args, sessionOf(context.res)),
      ),
    setRole: (_: unknown, args: { id: string; role: Role }, context: RequestContext) =>
      accounts.setRole(context.identity, args.id, args.role),
    disableUser: (_: unknown, args: { id: string }, context: RequestContext) =>
      accounts.setDisabled(context.identity, args.id, true),
    enableUser: (_: unknown, args: { id: string }, context: RequestContext) =>
      accounts.setDisabled(context.identity, args.id, false),
    createToken: (
      _: unknown,
      args: { name: string; expiresInDays?: number | null },
      context: RequestContext,
    ) => accounts.createToken(context.identity, args.name, args.expiresInDays),
    revokeToken: (_: unknown, args: { id: string }, context: RequestContext) =>
      accounts.revokeToken(context.identity, args.id),
  };
}
