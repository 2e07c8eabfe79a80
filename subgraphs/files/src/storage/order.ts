import type { Cursor, FileRecord, Order } from './Storage.ts';

/**
 * Names compare in UTF-8 byte order, the order S3 lists keys and SQLite
 * compares text in. JavaScript compares UTF-16 units, which differs only
 * above U+FFFF: a surrogate stands for a code point larger than any other
 * unit, so it must sort after them.
 */
export function compareNames(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The value a file is sorted by, besides its name. */
export function sortValue(file: FileRecord, order: Order): number | undefined {
  if (order.field === 'size') return file.size;
  if (order.field === 'updatedAt') return file.updatedAt.getTime();
  return undefined;
}

/** Compares by the order's value, then by name; reversed when descending. */
export function comparator(order: Order): (a: FileRecord, b: FileRecord) => number {
  const sign = order.descending ? -1 : 1;
  return (a, b) => sign * compareKeys(sortValue(a, order), a.name, sortValue(b, order), b.name);
}

function compareKeys(
  av: number | undefined,
  an: string,
  bv: number | undefined,
  bn: string,
): number {
  if (av !== undefined && bv !== undefined && av !== bv) return av - bv;
  return compareNames(an, bn);
}

/** Whether `file` comes strictly after `cursor` in `order`. */
export function isAfter(file: FileRecord, cursor: Cursor, order: Order): boolean {
  const difference = compareKeys(sortValue(file, order), file.name, cursor.value, cursor.name);
  return order.descending ? difference < 0 : difference > 0;
}
