import { randomUUID } from 'node:crypto';

/**
 * Keys for new bytes: "objects/ab/cd/<32 hex>", random, so that no two
 * writes ever share one and a folder on disk never holds more than 65,536
 * entries. Keys stored before the catalogue kept names ("files/<name>" on
 * disk, the name itself in a bucket) are kept as they are.
 */
export function newKey(): string {
  const id = randomUUID().replaceAll('-', '');
  return `${ownPrefix}${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`;
}

/** Where every key newKey() makes begins. */
export const ownPrefix = 'objects/';

const own = /^objects\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{32}$/;

/** Whether `key` is one newKey() made. */
export function isOwnKey(key: string): boolean {
  return own.test(key);
}
