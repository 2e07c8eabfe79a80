import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '@filegraph/testing/temp';
import { DiskStore } from '../../src/storage/disk/DiskStore.ts';

describe('the disk store’s keys', () => {
  let data: { path: string; remove(): Promise<void> };
  let store: DiskStore;

  before(async () => {
    data = await tempDir('disk-keys');
    await mkdir(join(data.path, 'files', 'a'), { recursive: true });
    await writeFile(join(data.path, 'files', 'a', 'x.txt'), 'keep me');
    await writeFile(join(data.path, 'catalogue.sqlite'), 'not an object');
    store = new DiskStore(data.path);
    await store.open();
  });
  after(() => data.remove());

  it('when a key is not one of its own, then it reads and deletes nothing, not even the file it resolves to', async () => {
    for (const key of [
      'files/a/zz/../x.txt',
      'files/a/./x.txt',
      'files//a/x.txt',
      '/files/a/x.txt',
      'objects/../files/a/x.txt',
      'catalogue.sqlite',
      '../outside',
    ]) {
      await assert.rejects(store.remove([key]), /not a key of this store/, key);
      await assert.rejects(store.get(key), /not a key of this store/, key);
    }
    assert.equal(await readFile(join(data.path, 'files', 'a', 'x.txt'), 'utf8'), 'keep me');
    assert.equal(await readFile(join(data.path, 'catalogue.sqlite'), 'utf8'), 'not an object');
    const listed = [];
    for await (const object of store.objects()) listed.push(object.key);
    assert.deepEqual(listed, ['files/a/x.txt']);
  });
});
