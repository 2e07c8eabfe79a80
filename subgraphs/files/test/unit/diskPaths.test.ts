import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@filegraph/shared/logger';
import { tempDir } from '@filegraph/testing/temp';
import { DiskStorage } from '../../src/storage/disk/DiskStorage.ts';

describe('the disk driver’s paths', () => {
  let data: { path: string; remove(): Promise<void> };
  let storage: DiskStorage;

  before(async () => {
    data = await tempDir('disk-paths');
    await mkdir(join(data.path, 'files', 'a'), { recursive: true });
    await writeFile(join(data.path, 'files', 'a', 'x.txt'), 'keep me');
    storage = new DiskStorage(data.path, createLogger({ level: 'info', format: 'silent' }));
    await storage.open();
  });
  after(async () => {
    await storage.close();
    await data.remove();
  });

  it('when a name that is not canonical reaches the driver, then it touches no file, not even the one it resolves to', async () => {
    for (const name of [
      'a/zz/../x.txt',
      'a/./x.txt',
      'a//x.txt',
      '/a/x.txt',
      'a/x.txt/',
      '../files/a/x.txt',
    ]) {
      await assert.rejects(storage.remove(name), /does not name a file/, name);
      await assert.rejects(storage.rename(name, 'b.txt', true), Error, name);
    }
    assert.equal(await readFile(join(data.path, 'files', 'a', 'x.txt'), 'utf8'), 'keep me');
    assert.equal((await storage.stat('a/x.txt'))?.size, 7);
  });
});
