import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  batchLimitsFor,
  defaultBatchLimits,
  planBatches,
  spreadProgress,
  type Batchable,
  type BatchLimits,
} from '../../src/uploads/batches.ts';

const kib = 1024;
const mib = 1024 * kib;

function small(name: string, prefix = '', size = kib): Batchable {
  return { name: prefix + name, prefix, size };
}

/** The names of each batch, to compare plans at a glance. */
const names = (batches: Batchable[][]) => batches.map((batch) => batch.map((item) => item.name));

describe('upload batches', () => {
  it('when many small files go to one folder, then they share requests of at most maxFiles', () => {
    const items = Array.from({ length: 120 }, (_, i) => small(`f${i}.txt`, 'docs/'));
    const batches = planBatches(items);
    assert.deepEqual(
      batches.map((batch) => batch.length),
      [50, 50, 20],
    );
    assert.deepEqual(batches.flat(), items, 'every file once, in the order given');
  });

  it('when the server takes fewer files per request, then its limit is the count', () => {
    const limits = batchLimitsFor(7);
    assert.equal(limits.maxFiles, 7);
    assert.equal(batchLimitsFor(10_000).maxFiles, defaultBatchLimits.maxFiles);
    const batches = planBatches(
      Array.from({ length: 15 }, (_, i) => small(`f${i}`)),
      limits,
    );
    assert.deepEqual(
      batches.map((batch) => batch.length),
      [7, 7, 1],
    );
  });

  it('when the server limit is not known, then every file goes alone', () => {
    const batches = planBatches([small('a'), small('b')], batchLimitsFor(undefined));
    assert.deepEqual(names(batches), [['a'], ['b']]);
  });

  it('when the bytes would pass maxBytes, then a new batch starts', () => {
    const limits: BatchLimits = { maxFiles: 50, maxBytes: 3 * mib, largeFile: mib };
    const items = ['a', 'b', 'c', 'd', 'e'].map((name) => small(name, '', 900 * kib));
    const batches = planBatches(items, limits);
    assert.deepEqual(names(batches), [
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    for (const batch of batches) {
      assert.ok(batch.reduce((sum, item) => sum + item.size, 0) <= limits.maxBytes);
    }
  });

  it('when files go to different folders, then each folder has its own batches, in the order of their first file', () => {
    const items = [
      small('1', 'a/'),
      small('2', 'b/'),
      small('3', 'a/'),
      small('4', 'a/sub/'),
      small('5', 'b/'),
    ];
    assert.deepEqual(names(planBatches(items)), [['a/1', 'a/3'], ['b/2', 'b/5'], ['a/sub/4']]);
  });

  it('when a file is large, then it goes alone where it stands and the small ones around it still share', () => {
    const items = [
      small('a'),
      { name: 'big.iso', prefix: '', size: 5 * mib },
      small('b'),
      { name: 'edge.bin', prefix: '', size: defaultBatchLimits.largeFile },
      small('c'),
    ];
    // At the threshold a file is still small.
    assert.deepEqual(names(planBatches(items)), [['a', 'b', 'edge.bin', 'c'], ['big.iso']]);
  });

  it('when a file replaces another or sets overwrite, then it does not join the plain uploads', () => {
    const items: Batchable[] = [
      small('a'),
      { name: 'kept.txt', prefix: '', size: 10, alone: true },
      { ...small('b'), overwrite: true },
      small('c'),
      { ...small('d'), overwrite: true },
    ];
    assert.deepEqual(names(planBatches(items)), [['a', 'c'], ['kept.txt'], ['b', 'd']]);
  });

  it('when the same name comes twice (in either Unicode form), then the second goes in another batch', () => {
    const items = [small('caf\u00e9.txt'), small('other.txt'), small('cafe\u0301.txt')];
    assert.deepEqual(names(planBatches(items)), [
      ['caf\u00e9.txt', 'other.txt'],
      ['cafe\u0301.txt'],
    ]);
  });

  it('when empty files are dropped, then they batch like any small file', () => {
    const items = Array.from({ length: 3 }, (_, i) => small(`empty-${i}`, '', 0));
    assert.deepEqual(
      planBatches(items).map((batch) => batch.length),
      [3],
    );
  });

  it("when a batch's bytes are on their way, then each file shows its own share, in the order sent", () => {
    assert.deepEqual(spreadProgress([100, 50, 0, 200], 0), [0, 0, 0, 0]);
    assert.deepEqual(spreadProgress([100, 50, 0, 200], 120), [100, 20, 0, 0]);
    assert.deepEqual(spreadProgress([100, 50, 0, 200], 350), [100, 50, 0, 200]);
  });
});
