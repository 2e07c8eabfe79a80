import { createResource, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import { FoldersDocument } from '../graphql/generated.ts';
import { problemOf, type Problem } from '../graphql/problems.ts';
import type { Folder } from '../graphql/types.ts';

export interface Folders {
  /** The folders directly inside the current one (empty while loading or when hidden). */
  readonly list: Accessor<readonly Folder[]>;
  readonly loading: Accessor<boolean>;
  readonly problem: Accessor<Problem | undefined>;
  refetch(): void;
}

class FoldersError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.message);
    this.problem = problem;
  }
}

/**
 * The subfolders of `prefix()`, or none when `prefix()` is undefined (a
 * search or the flat view lists files from every folder).
 */
export function createFolders(client: Client, prefix: Accessor<string | undefined>): Folders {
  const [folders, { refetch }] = createResource(prefix, async (path) => {
    const result = await client.query(FoldersDocument, { prefix: path || null }).toPromise();
    if (result.error) throw new FoldersError(problemOf(result.error));
    return result.data?.folders ?? [];
  });
  return {
    list: () => (prefix() === undefined || folders.error ? [] : (folders.latest ?? [])),
    loading: () => folders.loading,
    problem: () => {
      const error: unknown = folders.error;
      if (!error) return undefined;
      return error instanceof FoldersError
        ? error.problem
        : { code: 'UNKNOWN', message: String(error) };
    },
    refetch: () => void refetch(),
  };
}
