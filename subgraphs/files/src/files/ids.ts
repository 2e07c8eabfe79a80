import { AppError } from '@filegraph/shared/errors';

/**
 * A file's id is its full name, base64url-encoded: opaque to clients, the
 * same on every replica with no index to keep in step, and stable across
 * replaceFile. Renaming gives a file a new id (renameFile returns it).
 * Page cursors are ids too: a page continues after the named file.
 */
export function fileId(name: string): string {
  return Buffer.from(name, 'utf8').toString('base64url');
}

/** The name an id stands for; BAD_USER_INPUT when it is not an id we issued. */
export function nameOfId(id: string, what = 'file id'): string {
  const name = /^[A-Za-z0-9_-]+$/.test(id) ? Buffer.from(id, 'base64url').toString('utf8') : '';
  if (name === '' || fileId(name) !== id) {
    const shown = id.length > 40 ? `${id.slice(0, 37)}…` : id;
    throw new AppError('BAD_USER_INPUT', `${JSON.stringify(shown)} is not a valid ${what}.`);
  }
  return name;
}
