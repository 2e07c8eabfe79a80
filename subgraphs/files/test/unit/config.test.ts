import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@filegraph/shared/config';
import { loadFilesConfig } from '../../src/config.ts';
import { partSizeFor } from '../../src/storage/createStorage.ts';

describe('files configuration', () => {
  it('when nothing is set, then files live on disk under ./data with a 1 GiB limit', () => {
    const config = loadFilesConfig({ STORAGE: '', DATA_DIR: '', MAX_FILE_SIZE: '', PORT: '' });
    assert.equal(config.storage, 'disk');
    assert.equal(config.dataDir, './data');
    assert.equal(config.maxFileSize, 2 ** 30);
    assert.equal(config.port, 4001);
  });

  it('when STORAGE=minio lacks keys or the bucket name is invalid, then every problem is named', () => {
    assert.throws(
      () =>
        loadFilesConfig({
          STORAGE: 'minio',
          MINIO_ACCESS_KEY: '',
          MINIO_SECRET_KEY: '',
          MINIO_BUCKET: 'Bad_Bucket',
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 3 &&
        error.problems.some((p) => p.startsWith('MINIO_ACCESS_KEY')) &&
        error.problems.some((p) => p.startsWith('MINIO_BUCKET')),
    );
  });

  it('when the largest file would need more than 10,000 parts, then parts grow to fit', () => {
    assert.equal(partSizeFor(5 * 2 ** 20, 2 ** 30), 5 * 2 ** 20);
    assert.equal(partSizeFor(5 * 2 ** 20, 5 * 2 ** 40), Math.ceil((5 * 2 ** 40) / 10_000));
  });
});
