import { fileName, maxNameBytes } from './names.ts';

/**
 * A file's id is its full name, base64url-encoded: opaque to clients, the
 * same on every replica with no index to keep in step, and stable across
 * replaceFile. Renaming gives a file a new id (renameFile returns it).
 */
export function fileId(name: string): string {
  return Buffer.from(name, 'utf8').toString('base64url');
}

/** The longest id a file can have: its name at the most bytes a name may have. */
const maxIdLength = Math.ceil((maxNameBytes * 4) / 3);

/**
 * The name an id stands for, or undefined when no file can have that id: only
 * the id this API gives a file, for a name it would accept as it is, reaches
 * storage. Anything else (a name with "..", "//" or a leading "/", one that
 * is not NFC, bytes that are not UTF-8) would name another file, or none.
 */
export function nameOfId(id: string): string | undefined {
  if (id.length > maxIdLength || !/^[A-Za-z0-9_-]+$/.test(id)) return undefined;
  const name = Buffer.from(id, 'base64url').toString('utf8');
  if (fileId(name) !== id) return undefined;
  try {
    return fileName(name) === name ? name : undefined;
  } catch {
    return undefined;
  }
}
