import type pg from 'pg';
import { NewNames } from '../batch.ts';
import { folderRule, type NameLock } from '../folderRule.ts';
import { isFileId } from '../ids.ts';
import { folderDeltas, folderEnd, type FolderDelta } from '../paths.ts';
import { columns, type Row } from './rows.ts';
import { aroundNewNames, countFolders, forgetEmptyFolders, lockNames } from './statements.ts';

// The steps a catalogue transaction takes on an owner's names, each on the
// client that holds the transaction: name locks, what is stored around new
// names (the folder rule), folder counts, a live row locked for a change.

type Client = pg.PoolClient;

/**
 * Locks an owner's names (and so their folders) until the transaction
 * ends, across every replica: a name wanted alone by any of `locks` is
 * taken alone. Sorted, so writers take them in one order.
 */
export async function lockOwnNames(
  client: Client,
  owner: string,
  locks: readonly NameLock[],
): Promise<void> {
  const exclusive = new Map<string, boolean>();
  for (const { name, exclusive: alone } of locks)
    exclusive.set(`${owner}:${name}`, alone || exclusive.get(`${owner}:${name}`) === true);
  const keys = [...exclusive.keys()].sort();
  await client.query(lockNames([keys, keys.map((key) => exclusive.get(key) === true)]));
}

export async function anyInside(client: Client, owner: string, path: string): Promise<boolean> {
  const { rowCount } = await client.query(
    'SELECT 1 FROM files WHERE owner = $1 AND deleted_at IS NULL AND name >= $2 AND name < $3 LIMIT 1',
    [owner, path, folderEnd(path)],
  );
  return rowCount !== 0;
}

export async function firstFile(
  client: Client,
  owner: string,
  names: readonly string[],
): Promise<string | undefined> {
  if (names.length === 0) return undefined;
  const { rows } = await client.query<{ name: string }>(
    'SELECT name FROM files WHERE owner = $1 AND deleted_at IS NULL AND name = ANY($2::text[]) ORDER BY name LIMIT 1',
    [owner, names],
  );
  return rows[0]?.name;
}

export async function checkFolderRule(client: Client, owner: string, name: string): Promise<void> {
  const error = (await newNames(client, owner, [name])).add(name);
  if (error) throw error;
}

/** Applies an owner's folder count changes; folders left with no file are forgotten (the top stays). */
export async function countFolderChanges(
  client: Client,
  owner: string,
  deltas: readonly FolderDelta[],
): Promise<void> {
  if (deltas.length === 0) return;
  await client.query(
    countFolders([
      deltas.map((d) => d.path),
      deltas.map((d) => d.parent ?? null),
      deltas.map((d) => d.files),
      deltas.map((d) => d.direct),
      owner,
    ]),
  );
  const emptied = deltas.filter((d) => d.files < 0).map((d) => d.path);
  if (emptied.length === 0) return;
  await client.query(forgetEmptyFolders([emptied, owner]));
}

/** Folder counts for names that appear or go, owner by owner (in owner order, as locks go). */
export async function countEachOwner(
  client: Client,
  changes: ReadonlyArray<{ owner: string; name: string; delta: number }>,
): Promise<void> {
  const byOwner = new Map<string, Array<[string, number]>>();
  for (const { owner, name, delta } of changes) {
    const list = byOwner.get(owner) ?? [];
    list.push([name, delta]);
    byOwner.set(owner, list);
  }
  for (const owner of [...byOwner.keys()].sort())
    await countFolderChanges(client, owner, folderDeltas(byOwner.get(owner) ?? []));
}

/** A live file by id, locked until the transaction ends when `forUpdate`; `client` may be the pool. */
export async function liveRow(
  client: Client | pg.Pool,
  id: string,
  forUpdate: boolean,
): Promise<Row | undefined> {
  if (!isFileId(id)) return undefined;
  const { rows } = await client.query<Row>(
    `SELECT ${columns} FROM files WHERE id = $1 AND deleted_at IS NULL${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

/**
 * What is stored around names new to the catalogue, for the folder rule,
 * in one query for all: which of them have live files inside, and which
 * of their folders are live files.
 */
export async function newNames(
  client: Client,
  owner: string,
  names: readonly string[],
): Promise<NewNames> {
  if (names.length === 0) return new NewNames(new Set(), new Set());
  const insides = names.map((name) => folderRule(name).inside);
  const { rows } = await client.query<{ inside: boolean; name: string }>(
    aroundNewNames([
      names,
      insides,
      insides.map((path) => folderEnd(path)),
      [...new Set(names.flatMap((name) => folderRule(name).parents))],
      owner,
    ]),
  );
  const named = (inside: boolean) =>
    new Set(rows.filter((row) => row.inside === inside).map((row) => row.name));
  return new NewNames(named(true), named(false));
}
