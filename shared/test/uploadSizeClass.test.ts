import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uploadSizeClass } from '../src/metrics.ts';

const MiB = 1024 * 1024;

describe('the size class of an upload (filegraph_upload_duration_seconds, UploadLatencyHigh)', () => {
  it('when an upload stored up to 1 MiB, then it is small; up to 64 MiB medium; more, large', () => {
    const table: Array<[number, string]> = [
      [0, 'small'],
      [MiB, 'small'],
      [MiB + 1, 'medium'],
      [64 * MiB, 'medium'],
      [64 * MiB + 1, 'large'],
      [5 * 1024 * MiB, 'large'],
    ];
    for (const [bytes, size] of table) assert.equal(uploadSizeClass(bytes), size, `${bytes} bytes`);
  });
});
