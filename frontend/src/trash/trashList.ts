import type { Client } from '@urql/core';
import type { Outcome } from '../files/fileActions.ts';
import { TrashDocument } from '../graphql/generated.ts';
import { createPagedList, type PagedList } from '../graphql/pagedList.ts';
import { request } from '../graphql/request.ts';
import type { FileNode } from '../graphql/types.ts';
import { emptyTrash, restoreFiles } from './trashActions.ts';

/**
 * The files in the trash, the most recently deleted first, a page at a time,
 * with what can be done to them: restored or purged. The list follows its
 * own changes without a reload.
 */
export interface TrashList extends PagedList<FileNode> {
  /** Brings files back, all or none; those restored leave the list. */
  restore(ids: readonly string[]): Promise<Outcome<FileNode[]>>;
  /** Purges the whole trash; the list is empty after it. */
  empty(): Promise<Outcome<number>>;
}

export function createTrashList(client: Client, options: { page?: number } = {}): TrashList {
  const page = options.page ?? 100;
  const list = createPagedList<FileNode>({
    fetchPage: (after) => request(client, 'query', TrashDocument, { first: page, after }, 'trash'),
    key: (file) => file.id,
  });
  return {
    ...list,
    async restore(ids) {
      const outcome = await restoreFiles(client, ids);
      if (outcome.ok) list.remove(ids);
      return outcome;
    },
    async empty() {
      const outcome = await emptyTrash(client);
      if (outcome.ok) list.clear();
      return outcome;
    },
  };
}
