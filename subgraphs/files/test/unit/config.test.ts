import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@filegraph/shared/config';
import { loadFilesConfig } from '../../src/config.ts';
import { partSizeFor } from '../../src/storage/createStorage.ts';

/** Every start needs the secret the gateway signs identities with. */
const secret = { IDENTITY_SECRET: 'a-secret-of-at-least-32-characters-0123' };

describe('files configuration', () => {
  it('when nothing is set, then files live on disk under ./data with a 1 GiB limit', () => {
    const config = loadFilesConfig({
      ...secret,
      STORAGE: '',
      DATA_DIR: '',
      MAX_FILE_SIZE: '',
      PORT: '',
    });
    assert.equal(config.storage, 'disk');
    assert.equal(config.dataDir, './data');
    assert.equal(config.maxFileSize, 2 ** 30);
    assert.equal(config.port, 4001);
  });

  it('when STORAGE=minio lacks keys or the bucket name is invalid, then every problem is named', () => {
    assert.throws(
      () =>
        loadFilesConfig({
          ...secret,
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

  it('when IDENTITY_SECRET is missing or short, then start-up stops naming it', () => {
    for (const value of ['', 'too short']) {
      assert.throws(
        () => loadFilesConfig({ IDENTITY_SECRET: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.problems.some((p) => p.startsWith('IDENTITY_SECRET')),
      );
    }
  });

  it('when the largest file would need more than 10,000 parts, then parts grow to fit', () => {
    assert.equal(partSizeFor(5 * 2 ** 20, 2 ** 30), 5 * 2 ** 20);
    assert.equal(partSizeFor(5 * 2 ** 20, 5 * 2 ** 40), Math.ceil((5 * 2 ** 40) / 10_000));
  });
});
