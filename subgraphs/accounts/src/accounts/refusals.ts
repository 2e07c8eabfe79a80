import { AppError } from '@filegraph/shared/errors';

/** The store's refusals, in the API's words; both drivers throw these. */

export const emailTaken = () =>
  new AppError(
    'CONFLICT',
    'An account with this email exists already; sign in, or pick another email.',
  );

export const noSuchUser = () => new AppError('NOT_FOUND', 'There is no user with this id.');

export const lastAdmin = () =>
  new AppError(
    'CONFLICT',
    'This is the last active admin: make another user an admin first, then demote or disable this one.',
  );

export const tooManyTokens = (max: number) =>
  new AppError(
    'CONFLICT',
    `An account may have at most ${max} API tokens; revoke one you no longer use first.`,
  );
