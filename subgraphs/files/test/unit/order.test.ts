import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from '../../src/files/cursors.ts';
import { comparator, compareNames, isAfter } from '../../src/storage/order.ts';
import type { FileRecord, Order } from '../../src/storage/Storage.ts';

const file = (name: string, size = 0, updated = 0): FileRecord => ({
  name,
  size,
  contentType: 'text/plain',
  checksum: '',
  createdAt: new Date(0),
  updatedAt: new Date(updated),
});

describe('ordering and cursors', () => {
  it('when names are compared, then the order is UTF-8 byte order, as S3 and SQLite list them', () => {
    const names = ['a/b', 'a-c', 'a0', 'é', '\uffff', '😀', 'Z', 'a'];
    const bytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual([...names].sort(compareNames), bytes);
    assert.ok(
      compareNames('\uffff', '😀') < 0,
      'U+FFFF sorts before U+1F600 in UTF-8, unlike UTF-16',
    );
  });

  it('when files are ordered by size, then ties fall back to the name, reversed when descending', () => {
    const files = [file('b', 5), file('a', 5), file('c', 1)];
    assert.deepEqual(
      [...files].sort(comparator({ field: 'size', descending: false })).map((f) => f.name),
      ['c', 'a', 'b'],
    );
    assert.deepEqual(
      [...files].sort(comparator({ field: 'size', descending: true })).map((f) => f.name),
      ['b', 'a', 'c'],
    );
  });

  it('when a cursor is encoded and decoded, then it finds the files after it in the same order', () => {
    const order: Order = { field: 'updatedAt', descending: true };
    const cursor = decodeCursor(encodeCursor(file('m', 0, 500), order), order);
    assert.deepEqual(cursor, { name: 'm', value: 500 });
    assert.equal(isAfter(file('n', 0, 400), cursor, order), true);
    assert.equal(isAfter(file('a', 0, 500), cursor, order), true);
    assert.equal(isAfter(file('z', 0, 500), cursor, order), false);
    assert.throws(
      () => decodeCursor(encodeCursor(file('m'), order), { field: 'name', descending: false }),
      /another order/,
    );
    assert.throws(() => decodeCursor('garbage', order), /not a cursor/);
  });
});
