import type { Client } from './Client.ts';
import { refused, usageError } from './errors.ts';
import { maxAtOnce, operations, type ApiFile, type FilePage } from './operations.ts';

/** A file id's form (subgraphs/files/src/catalogue/ids.ts): anything else is a name. */
const fileId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isFileId(text: string): boolean {
  return fileId.test(text);
}

/** A full name as the server keeps it: NFC, no empty parts ("/a//b" → "a/b"). */
export function normalName(raw: string): string {
  if (raw.endsWith('/'))
    throw usageError(`${JSON.stringify(raw)} ends with "/": that names a folder, not a file`);
  const name = raw
    .normalize('NFC')
    .split('/')
    .filter((part) => part !== '')
    .join('/');
  if (name === '') throw usageError('a file name is empty');
  return name;
}

/** A folder path as the API takes it ("a/b" → "a/b/", "" or "/" → the top). */
export function folderPath(raw: string): string {
  const parts = raw
    .normalize('NFC')
    .split('/')
    .filter((part) => part !== '');
  return parts.length === 0 ? '' : `${parts.join('/')}/`;
}

/** Every page of a listing, following cursors; stop reading to stop asking. */
export async function* pages(
  fetch: (after: string | null) => Promise<FilePage>,
): AsyncGenerator<FilePage> {
  let after: string | null = null;
  for (;;) {
    const page = await fetch(after);
    yield page;
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) return;
    after = page.pageInfo.endCursor;
  }
}

/**
 * The file a command line means: an id when it has an id's form and a file
 * has it, otherwise the file with exactly that full name (looked up with a
 * search in its folder). NOT_FOUND when there is neither.
 */
export async function findFile(client: Client, ref: string): Promise<ApiFile> {
  if (isFileId(ref)) {
    const { file } = await client.query(operations.file, { id: ref });
    if (file) return file;
  }
  const name = normalName(ref);
  const slash = name.lastIndexOf('/');
  const search = name.slice(slash + 1);
  const prefix = name.slice(0, slash + 1);
  const listing = pages(async (after) => {
    const data = await client.query(operations.files, {
      first: maxAtOnce,
      after,
      search,
      prefix,
      recursive: false,
    });
    return data.files;
  });
  for await (const page of listing) {
    const match = page.nodes.find((file) => file.name === name);
    if (match) return match;
  }
  throw refused(
    'NOT_FOUND',
    `there is no file named ${JSON.stringify(name)}${isFileId(ref) ? ' nor with that id' : ''}`,
  );
}

/**
 * The file in the trash a command line means: its id, or the most recently
 * deleted file with exactly that name. NOT_FOUND when the trash has none.
 */
export async function findInTrash(client: Client, ref: string): Promise<string> {
  if (isFileId(ref)) return ref;
  const name = normalName(ref);
  const listing = pages(async (after) => {
    const data = await client.query(operations.trash, {
      first: maxAtOnce,
      after,
    });
    return data.trash;
  });
  for await (const page of listing) {
    const match = page.nodes.find((file) => file.name === name);
    if (match) return match.id;
  }
  throw refused('NOT_FOUND', `the trash has no file named ${JSON.stringify(name)}`);
}
