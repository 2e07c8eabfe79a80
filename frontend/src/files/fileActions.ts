import type { Client } from '@urql/core';
import {
  DeleteFilesDocument,
  MoveFolderDocument,
  RenameFileDocument,
} from '../graphql/generated.ts';
import { problemOf, type Problem } from '../graphql/problems.ts';
import type { FileNode } from '../graphql/types.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** Gives a file a new full name (which may move it); it keeps its id. */
export async function renameFile(
  client: Client,
  id: string,
  name: string,
  overwrite = false,
): Promise<Outcome<FileNode>> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.endsWith('/')) {
    return {
      ok: false,
      problem: { code: 'BAD_USER_INPUT', message: 'A name cannot be empty or end with "/".' },
    };
  }
  const result = await client
    .mutation(RenameFileDocument, { id, name: trimmed, overwrite })
    .toPromise();
  if (result.error) return { ok: false, problem: problemOf(result.error) };
  if (!result.data) {
    return { ok: false, problem: { code: 'UNKNOWN', message: 'The server did not answer.' } };
  }
  return { ok: true, value: result.data.renameFile };
}

/**
 * Moves every file in the folder `path` into the folder `to` (both end in "/");
 * `to` must not exist yet. Answers how many files moved.
 */
export async function moveFolder(
  client: Client,
  path: string,
  to: string,
): Promise<Outcome<number>> {
  const result = await client.mutation(MoveFolderDocument, { path, to }).toPromise();
  if (result.error) return { ok: false, problem: problemOf(result.error) };
  if (typeof result.data?.moveFolder !== 'number') {
    return { ok: false, problem: { code: 'UNKNOWN', message: 'The server did not answer.' } };
  }
  return { ok: true, value: result.data.moveFolder };
}

/** Files moved to the trash by a delete. */
export interface Deleted {
  readonly deleted: string[];
  /** Asked for but not deleted here: someone else (another tab, a script) got there first. */
  readonly alreadyGone: string[];
}

export async function deleteFiles(
  client: Client,
  ids: readonly string[],
): Promise<Outcome<Deleted>> {
  const result = await client.mutation(DeleteFilesDocument, { ids: [...ids] }).toPromise();
  if (result.error) return { ok: false, problem: problemOf(result.error) };
  const deleted = result.data?.deleteFiles ?? [];
  const done = new Set(deleted);
  return { ok: true, value: { deleted, alreadyGone: ids.filter((id) => !done.has(id)) } };
}
