/**
 * A file's id: a random UUID, given when the file is first stored and kept
 * for its whole life, through replaces, renames, moves and the trash.
 */
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `id` could be a file's id; anything else names no file (and must not reach a query). */
export function isFileId(id: string): boolean {
  return uuid.test(id);
}
