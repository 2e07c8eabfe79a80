import { AppError } from '@filegraph/shared/errors';
import { legacyOwner } from '../catalogue/Catalogue.ts';

export interface Owner {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
}

/** Most owners a report request may name; the gateway sends every account's. */
export const maxOwners = 100_000;

/**
 * Who the owners are, by id, for the report's Owner column. The catalogue
 * knows owners by id only; the accounts service knows their emails, and the
 * gateway sends them along with the request (supergraph/src/http/usageReport.ts).
 */
export class OwnerDirectory {
  readonly #owners: ReadonlyMap<string, Owner>;

  constructor(owners: readonly Owner[] = []) {
    this.#owners = new Map(owners.map((owner) => [owner.id, owner]));
  }

  /** The request body `{ owners: [{ id, email, name }] }`, or BAD_USER_INPUT saying what is wrong. */
  static fromBody(body: unknown): OwnerDirectory {
    if (body === undefined || body === null || (typeof body === 'object' && !('owners' in body)))
      return new OwnerDirectory();
    const owners = (body as { owners?: unknown }).owners;
    const refused = (why: string) =>
      new AppError('BAD_USER_INPUT', `owners must be a list of { id, email, name }: ${why}.`);
    if (!Array.isArray(owners)) throw refused('it is not a list');
    if (owners.length > maxOwners) throw refused(`at most ${maxOwners} owners`);
    return new OwnerDirectory(
      owners.map((owner: unknown, index) => {
        const { id, email, name } = (owner ?? {}) as Record<string, unknown>;
        if (typeof id !== 'string' || typeof email !== 'string')
          throw refused(`entry ${index} has no id and email strings`);
        return { id, email, name: typeof name === 'string' ? name : null };
      }),
    );
  }

  /** The owner's email; files stored before accounts existed say so; an unknown id stays an id. */
  label(id: string): string {
    if (id === legacyOwner) return '(stored before accounts)';
    return this.#owners.get(id)?.email ?? id;
  }

  /** The owner's display name, when they gave one. */
  name(id: string): string {
    return this.#owners.get(id)?.name ?? '';
  }
}
