import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUploads, isUpload, withoutUploads } from '../src/federation/uploads.ts';

describe('finding uploads in variables', () => {
  const upload = () => ({
    promise: Promise.resolve({ filename: 'a', mimetype: 'x/y', createReadStream: () => null }),
  });

  it('when variables hold uploads anywhere, then each is found with its path, by shape', () => {
    const one = upload();
    const two = upload();
    const found = findUploads({ files: [one, two], input: { file: one }, name: 'x', n: 1 });
    assert.deepEqual(
      found.map((f) => f.path),
      ['files.0', 'files.1', 'input.file'],
    );
    assert.equal(found[1]?.upload, two);
    assert.equal(isUpload({ promise: 'not a promise' }), false);
    assert.equal(isUpload(null), false);
  });

  it('when uploads are stripped, then they become null and everything else stays', () => {
    assert.deepEqual(
      withoutUploads({ files: [upload()], prefix: 'p', deep: { file: upload(), keep: [1] } }),
      {
        files: [null],
        prefix: 'p',
        deep: { file: null, keep: [1] },
      },
    );
  });
});
