import { AppError } from '@filegraph/shared/errors';
import type { Caller } from '@filegraph/shared/identity';
import type { FileRecord } from '../catalogue/Catalogue.ts';
import { isFileId } from '../catalogue/ids.ts';

/**
 * Who may do what with files (issue 16): a member sees and changes their
 * own files only, an admin any file by id. Someone else's file is NOT_FOUND
 * to a member, never FORBIDDEN, so its existence does not leak.
 */

/** Whether `caller` may see and change `file`. */
export function mayUse(caller: Caller, file: FileRecord): boolean {
  return caller.role === 'ADMIN' || file.owner === caller.id;
}

/** The owner an operation by id is limited to: the caller's own, or any (undefined) for an admin. */
export function idScope(caller: Caller): string | undefined {
  return caller.role === 'ADMIN' ? undefined : caller.id;
}

/**
 * Whose files a listing shows: the caller's, or for an admin the `owner`
 * asked for. A member who names an owner is refused, even their own id,
 * so that the argument means one thing.
 */
export function listedOwner(caller: Caller, owner: string | null | undefined): string {
  if (owner === null || owner === undefined) return caller.id;
  if (caller.role !== 'ADMIN')
    throw new AppError('FORBIDDEN', 'Only an admin may list the files of another user (owner).');
  if (!isFileId(owner))
    throw new AppError(
      'BAD_USER_INPUT',
      `owner must be a user id (a UUID); got ${JSON.stringify(owner)}.`,
    );
  return owner;
}
