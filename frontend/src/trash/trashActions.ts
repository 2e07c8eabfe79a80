import type { Client } from '@urql/core';
import type { Outcome } from '../files/fileActions.ts';
import { EmptyTrashDocument, RestoreFilesDocument } from '../graphql/generated.ts';
import { problemOf } from '../graphql/problems.ts';
import type { FileNode } from '../graphql/types.ts';

const noAnswer = { code: 'UNKNOWN', message: 'The server did not answer.' };

/**
 * Brings files back from the trash under their names. All or nothing: when
 * a name is taken again the server refuses with CONFLICT and a message that
 * names it, and nothing is restored.
 */
export async function restoreFiles(
  client: Client,
  ids: readonly string[],
): Promise<Outcome<FileNode[]>> {
  const result = await client.mutation(RestoreFilesDocument, { ids: [...ids] }).toPromise();
  if (result.error) return { ok: false, problem: problemOf(result.error) };
  if (!result.data) return { ok: false, problem: noAnswer };
  return { ok: true, value: result.data.restoreFiles };
}

/** Purges every file in the trash; answers how many. */
export async function emptyTrash(client: Client): Promise<Outcome<number>> {
  const result = await client.mutation(EmptyTrashDocument, {}).toPromise();
  if (result.error) return { ok: false, problem: problemOf(result.error) };
  if (typeof result.data?.emptyTrash !== 'number') return { ok: false, problem: noAnswer };
  return { ok: true, value: result.data.emptyTrash };
}
