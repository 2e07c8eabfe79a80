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

/**
 * The names a writer of `name` (a file, or a folder "a/b/") locks: its own
 * and each of its folders'. Two writers whose names are a file and a folder
 * of each other always share one, so they take turns.
 */
export function lockedNames(name: string): string[] {
  const own = name.replace(/\/$/, '');
  return [...parentNames(own), own];
}
