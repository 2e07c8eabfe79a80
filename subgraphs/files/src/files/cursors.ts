import { AppError } from '@filegraph/shared/errors';
import { sortValue } from '../storage/order.ts';
import type { Cursor, FileRecord, Order, OrderField } from '../storage/Storage.ts';

/**
 * Page cursors name the last file of a page and, in size or date order, its
 * sort value: [field, value, name], JSON in base64url. Opaque to clients.
 */
export function encodeCursor(file: FileRecord, order: Order): string {
  return Buffer.from(
    JSON.stringify([order.field, sortValue(file, order) ?? null, file.name]),
  ).toString('base64url');
}

const fields: readonly OrderField[] = ['name', 'size', 'updatedAt'];

export function decodeCursor(raw: string, order: Order): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !fields.includes(parsed[0]) ||
    typeof parsed[2] !== 'string' ||
    (parsed[1] !== null && typeof parsed[1] !== 'number')
  ) {
    throw new AppError(
      'BAD_USER_INPUT',
      'after is not a cursor this API gave out; use pageInfo.endCursor.',
    );
  }
  if (parsed[0] !== order.field) {
    throw new AppError(
      'BAD_USER_INPUT',
      'This cursor belongs to a listing in another order; start again without after.',
    );
  }
  return { name: parsed[2], value: parsed[1] ?? undefined };
}
