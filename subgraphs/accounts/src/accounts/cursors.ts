import { AppError } from '@filegraph/shared/errors';

/**
 * Page cursors of the users list name the last user's email (users are
 * listed in email order): ["email", email], JSON in base64url. Opaque to clients.
 */

export function encodeUserCursor(email: string): string {
  return Buffer.from(JSON.stringify(['email', email])).toString('base64url');
}

export function decodeUserCursor(raw: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    parsed[0] !== 'email' ||
    typeof parsed[1] !== 'string'
  )
    throw new AppError(
      'BAD_USER_INPUT',
      'after is not a cursor this API gave out; use pageInfo.endCursor.',
    );
  return parsed[1];
}
