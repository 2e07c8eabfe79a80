import { AppError } from '@filegraph/shared/errors';
import { isFileId } from '../catalogue/ids.ts';
import type { Cursor, FileRecord, Order, OrderField, TrashCursor } from '../catalogue/Catalogue.ts';

/**
 * Page cursors name the last file of a page and, in size or date order, its
 * sort value: [field, value, name], JSON in base64url. Opaque to clients.
 * Trash cursors are [deletedAt, id]: the trash lists newest first.
 */

function sortValue(file: FileRecord, order: Order): number | undefined {
  if (order.field === 'size') return file.size;
  if (order.field === 'updatedAt') return file.updatedAt.getTime();
  return undefined;
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(raw: string): unknown {
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const notOurs = () =>
  new AppError(
    'BAD_USER_INPUT',
    'after is not a cursor this API gave out; use pageInfo.endCursor.',
  );

export function encodeCursor(file: FileRecord, order: Order): string {
  return encode([order.field, sortValue(file, order) ?? null, file.name]);
}

const fields: readonly OrderField[] = ['name', 'size', 'updatedAt'];

export function decodeCursor(raw: string, order: Order): Cursor {
  const parsed = decode(raw);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !fields.includes(parsed[0]) ||
    typeof parsed[2] !== 'string' ||
    (parsed[1] !== null && !Number.isSafeInteger(parsed[1]))
  ) {
    throw notOurs();
  }
  if (parsed[0] !== order.field) {
    throw new AppError(
      'BAD_USER_INPUT',
      'This cursor belongs to a listing in another order; start again without after.',
    );
  }
  return { name: parsed[2], value: parsed[1] ?? undefined };
}

export function encodeTrashCursor(file: FileRecord): string {
  return encode([file.deletedAt?.getTime() ?? 0, file.id]);
}

export function decodeTrashCursor(raw: string): TrashCursor {
  const parsed = decode(raw);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== 'string' ||
    !isFileId(parsed[1])
  ) {
    throw notOurs();
  }
  return { deletedAt: parsed[0], id: parsed[1] };
}
