import { createHash } from 'node:crypto';
import { AppError } from '@filegraph/shared/errors';
import type { Adopted, Catalogue } from '../catalogue/Catalogue.ts';
import { isOwnKey } from '../storage/keys.ts';
import type { Storage, StoredObject } from '../storage/Storage.ts';
import { contentTypeFor } from './contentTypes.ts';
import { fileName } from './names.ts';

/**
 * Bucket (or folder) and catalogue compared, for an operator who restored a
 * backup of one of them or wrote to the bucket with another tool
 * (`npm run catalogue -- check|repair`), and for the first start after an
 * upgrade, which adopts the files stored when names were keys.
 */
export interface Differences {
  /** Files whose bytes are not in the store. */
  readonly missing: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly key: string;
  }>;
  /** Bytes under filegraph's own keys that no file, write or pending deletion uses. */
  readonly orphans: readonly StoredObject[];
  /** Objects someone else put in the store (or that filegraph stored under their names before). */
  readonly foreign: readonly StoredObject[];
}

export async function compare(catalogue: Catalogue, storage: Storage): Promise<Differences> {
  const used = new Map<string, { id: string; name: string } | undefined>();
  for await (const use of catalogue.upkeep.keyUses()) used.set(use.key, use.file);
  const orphans: StoredObject[] = [];
  const foreign: StoredObject[] = [];
  const present = new Set<string>();
  for await (const object of storage.objects()) {
    present.add(object.key);
    if (used.has(object.key)) continue;
    (isOwnKey(object.key) ? orphans : foreign).push(object);
  }
  const missing = [...used]
    .filter(([key, file]) => file !== undefined && !present.has(key))
    .map(([key, file]) => ({ key, id: file?.id ?? '', name: file?.name ?? '' }));
  return { missing, orphans, foreign };
}

export interface Repaired {
  readonly forgotten: number;
  readonly deleted: number;
  readonly adopted: number;
  readonly skipped: ReadonlyArray<{ readonly key: string; readonly why: string }>;
}

/**
 * Makes the two agree: files whose bytes are lost are forgotten (they
 * could never be read again), orphaned bytes are deleted, and foreign
 * objects become files named after their keys where that name is allowed
 * and free.
 */
export async function repair(
  catalogue: Catalogue,
  storage: Storage,
  differences: Differences,
): Promise<Repaired> {
  await catalogue.discard(differences.missing.map((file) => file.id));
  await storage.remove(differences.orphans.map((object) => object.key));
  const { adopted, skipped } = await adoptObjects(catalogue, storage, differences.foreign);
  return {
    forgotten: differences.missing.length,
    deleted: differences.orphans.length,
    adopted,
    skipped,
  };
}

/** Where a foreign object's file name comes from: the disk store kept names under files/. */
function nameOfKey(storage: Storage, key: string): string {
  return storage.kind === 'disk' ? key.replace(/^files\//, '') : key;
}

/** Objects looked at (described, hashed) at once, and recorded in one transaction. */
const adoptAtOnce = 16;
const adoptPerTransaction = 500;

/**
 * Records foreign objects as files. What filegraph wrote with the object
 * when names were keys (SHA-256, times, on S3) is used; otherwise the bytes
 * are read once to hash them. A few objects are read at once and hundreds
 * recorded per transaction: one at a time, the first start after an
 * upgrade spent ~1.7 ms a file waiting on the disk and committing.
 */
export async function adoptObjects(
  catalogue: Catalogue,
  storage: Storage,
  objects: readonly StoredObject[],
  known: ReadonlyMap<string, Partial<Adopted>> = new Map(),
): Promise<{ adopted: number; skipped: Array<{ key: string; why: string }> }> {
  let adopted = 0;
  const skipped: Array<{ key: string; why: string }> = [];
  for (let start = 0; start < objects.length; start += adoptPerTransaction) {
    const chunk = objects.slice(start, start + adoptPerTransaction);
    const described = await inTurns(chunk, adoptAtOnce, async (object) => {
      try {
        return await describeForAdoption(storage, object.key, known);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        skipped.push({ key: object.key, why: error.message });
        return undefined;
      }
    });
    const files = described.filter((file) => file !== undefined);
    const results = await catalogue.adopt(files);
    results.forEach((result, index) => {
      if (result instanceof AppError)
        skipped.push({ key: files[index]?.key ?? '', why: result.message });
      else adopted += 1;
    });
  }
  return { adopted, skipped };
}

async function describeForAdoption(
  storage: Storage,
  key: string,
  known: ReadonlyMap<string, Partial<Adopted>>,
): Promise<Adopted> {
  const name = nameOfKey(storage, key);
  if (fileName(name) !== name) throw new AppError('BAD_USER_INPUT', 'not a name filegraph keeps');
  const info = await storage.describe(key);
  if (!info) throw new AppError('NOT_FOUND', 'gone meanwhile');
  const stored = known.get(name) ?? {};
  const time = (value: string | undefined) =>
    value && !Number.isNaN(Date.parse(value)) ? new Date(value) : info.modified;
  return {
    name,
    key,
    size: info.size,
    checksum: stored.checksum ?? info.metadata.sha256 ?? (await sha256(storage, key)),
    contentType: stored.contentType ?? contentTypeFor(name, info.contentType),
    createdAt: stored.createdAt ?? time(info.metadata['created-at']),
    updatedAt: stored.updatedAt ?? time(info.metadata['updated-at']),
  };
}

/** `work` on every item, at most `atOnce` at a time; results in the items' order. */
async function inTurns<T, R>(
  items: readonly T[],
  atOnce: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
  return results;
}

async function sha256(storage: Storage, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await storage.get(key)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
