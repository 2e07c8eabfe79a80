import type { AppError } from '@filegraph/shared/errors';
import { foldersOf } from './paths.ts';
import { isFolder, parentIsFile } from './refusals.ts';

/**
 * A name is a file or a folder, never both, as on a disk: a new name may
 * not be a folder now, and none of its folders may be a file. A driver asks
 * its store the two questions `folderRule` poses, inside the writer's
 * transaction, and `folderRuleError` says what the answers mean.
 */
export function folderRule(name: string): { inside: string; parents: string[] } {
  return { inside: `${name}/`, parents: parentNames(name) };
}

/**
 * `filesInside`: some live file's name starts with `inside`; `fileParent`:
 * the first of `parents` that is a live file's name.
 */
export function folderRuleError(
  name: string,
  filesInside: boolean,
  fileParent: string | undefined,
): AppError | undefined {
  if (filesInside) return isFolder(name);
  if (fileParent !== undefined) return parentIsFile(fileParent, name);
  return undefined;
}

/** The names of the folders `name` is in, outermost first: "a/b/c" → ["a", "a/b"]. */
function parentNames(name: string): string[] {
  return foldersOf(name)
    .slice(1)
    .map((path) => path.slice(0, -1));
}

/** An advisory lock on a name: exclusive, or shared with other writers. */
export interface NameLock {
  readonly name: string;
  readonly exclusive: boolean;
}

/**
 * The locks a writer of `name` (a file, or a folder "a/b/") takes: its own
 * name alone, each of its folders' shared. Two writers whose names are a
 * file and a folder of each other always meet on one name, one of them
 * alone, so they take turns; writers of names side by side in one folder
 * share its lock and go at once.
 */
export function lockedNames(name: string): NameLock[] {
  const own = name.replace(/\/$/, '');
  return [
    ...parentNames(own).map((parent) => ({ name: parent, exclusive: false })),
    { name: own, exclusive: true },
  ];
}
