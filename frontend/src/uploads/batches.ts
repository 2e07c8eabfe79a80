/**
 * How queued uploads are grouped into requests. Many small files go together
 * in one `uploadFiles` request, so a dropped folder of 10,000 small files
 * costs a few hundred requests, not 10,000; a large file keeps a request of
 * its own, so its progress, cancel and retry stay its own.
 *
 * Plain TypeScript with no DOM or Solid imports: the benchmark (bench/, Node)
 * imports this same module to measure batched uploads.
 */

export interface BatchLimits {
  /** Most files in one request; never more than the server's `uploadLimits.maxFiles`. */
  readonly maxFiles: number;
  /** Most bytes of file content in one request. */
  readonly maxBytes: number;
  /** Files larger than this go in a request of their own. */
  readonly largeFile: number;
}

const mebibyte = 1024 * 1024;

export const defaultBatchLimits: BatchLimits = {
  maxFiles: 50,
  maxBytes: 8 * mebibyte,
  largeFile: 1 * mebibyte,
};

/**
 * The limits for a server that takes at most `serverMaxFiles` files per
 * request. While that is unknown every file goes alone: the server refuses
 * a request with too many files as a whole.
 */
export function batchLimitsFor(
  serverMaxFiles: number | undefined,
  base: BatchLimits = defaultBatchLimits,
): BatchLimits {
  const most = serverMaxFiles === undefined ? 1 : Math.min(base.maxFiles, serverMaxFiles);
  return { ...base, maxFiles: Math.max(1, Math.floor(most)) };
}

/** What the grouping needs to know of one upload. */
export interface Batchable {
  /** The full name it is stored under (prefix + file name). */
  readonly name: string;
  /** The folder it goes to: one request has one `prefix`. */
  readonly prefix: string;
  readonly size: number;
  /** One request has one `overwrite`. */
  readonly overwrite?: boolean;
  /** It must go alone (a replacement: `replaceFile` takes one file). */
  readonly alone?: boolean;
}

interface OpenBatch<T> {
  readonly items: T[];
  bytes: number;
  readonly names: Set<string>;
}

/**
 * Groups uploads into requests, keeping order: the files of a batch are in
 * the order given, and batches come in the order of their first file. A
 * small file joins the last batch for its folder (and overwrite setting)
 * while that has room for its count, its bytes and its name; a name twice
 * in one request would make the server refuse all of it. Large files and
 * replacements go alone, where they stand.
 */
export function planBatches<T extends Batchable>(
  items: readonly T[],
  limits: BatchLimits = defaultBatchLimits,
): T[][] {
  const batches: T[][] = [];
  const open = new Map<string, OpenBatch<T>>();
  for (const item of items) {
    if (item.alone || item.size > limits.largeFile || limits.maxFiles <= 1) {
      batches.push([item]);
      continue;
    }
    const key = JSON.stringify([item.prefix, item.overwrite === true]);
    // The server compares names in NFC, so "é" in either form is the same name.
    const name = item.name.normalize('NFC');
    let batch = open.get(key);
    if (
      !batch ||
      batch.items.length >= limits.maxFiles ||
      batch.bytes + item.size > limits.maxBytes ||
      batch.names.has(name)
    ) {
      batch = { items: [], bytes: 0, names: new Set() };
      open.set(key, batch);
      batches.push(batch.items);
    }
    batch.items.push(item);
    batch.bytes += item.size;
    batch.names.add(name);
  }
  return batches;
}

/**
 * A request's progress spread over its files: the multipart body carries
 * them one after another, so of `sent` content bytes the first file has its
 * share first. Returns the bytes sent of each file, in order.
 */
export function spreadProgress(sizes: readonly number[], sent: number): number[] {
  let before = 0;
  return sizes.map((size) => {
    const loaded = Math.min(size, Math.max(0, sent - before));
    before += size;
    return loaded;
  });
}
