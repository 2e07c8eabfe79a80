import type { AppError } from '@filegraph/shared/errors';
import type { PendingWrite } from './Catalogue.ts';
import { folderRule, folderRuleError } from './folderRule.ts';
import { twiceInOneWrite } from './refusals.ts';

/** One name (or one file, by id) twice in one commit is refused: which version would win? */
export function refuseRepeats(writes: readonly PendingWrite[]): void {
  const seen = new Set<string>();
  for (const { target } of writes) {
    const which = target.mode === 'replace' ? `id:${target.id}` : target.name;
    if (seen.has(which)) throw twiceInOneWrite(target.mode === 'replace' ? target.id : target.name);
    seen.add(which);
  }
}

/**
 * The folder rule for a commit's new names, checked as if they were
 * committed one after the other: each sees what is stored (`storedInside`:
 * names with live files inside them; `storedFiles`: live file names among
 * their folders) and the new names before it.
 */
export class NewNames {
  readonly #storedInside: ReadonlySet<string>;
  readonly #storedFiles: ReadonlySet<string>;
  readonly #earlier: string[] = [];

  constructor(storedInside: ReadonlySet<string>, storedFiles: ReadonlySet<string>) {
    this.#storedInside = storedInside;
    this.#storedFiles = storedFiles;
  }

  /** Takes `name` as the next new name, or says why it breaks the folder rule. */
  add(name: string): AppError | undefined {
    const { inside, parents } = folderRule(name);
    const filesInside =
      this.#storedInside.has(name) || this.#earlier.some((other) => other.startsWith(inside));
    const fileParent = parents.find(
      (parent) => this.#storedFiles.has(parent) || this.#earlier.includes(parent),
    );
    const error = folderRuleError(name, filesInside, fileParent);
    if (!error) this.#earlier.push(name);
    return error;
  }
}
