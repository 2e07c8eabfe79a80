import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressBar, renderBar } from '../src/ProgressBar.ts';

const state = {
  label: 'uploading',
  bytes: 5_000_000,
  totalBytes: 20_000_000,
  files: { done: 3, total: 10 },
};

describe('renderBar', () => {
  it('when the terminal is wide, then a bar of fixed width comes before the figures', () => {
    assert.equal(
      renderBar(state, 120, 2),
      'uploading [########......................]  25%  5.0 MB/20 MB  3/10 files  2.5 MB/s',
    );
  });

  it('when the terminal is narrow, then the figures stay and the bar goes, within the width', () => {
    const line = renderBar(state, 60, 2);
    assert.equal(line, 'uploading  25%  5.0 MB/20 MB  3/10 files  2.5 MB/s');
    assert.ok(renderBar(state, 20, 2).length < 20);
  });

  it('when nothing is to be sent, then it shows done', () => {
    assert.match(renderBar({ label: 'uploading', bytes: 0, totalBytes: 0 }, 100, 0), /100%/);
  });
});

describe('ProgressBar', () => {
  it('when updates come faster than ten a second, then it redraws at most that often, and clears its line', () => {
    let now = 0;
    const writes: string[] = [];
    const bar = new ProgressBar(
      (text) => writes.push(text),
      () => 100,
      () => now,
    );
    bar.update(state);
    now = 50;
    bar.update({ ...state, bytes: 6_000_000 });
    now = 150;
    bar.update({ ...state, bytes: 7_000_000 });
    assert.equal(writes.length, 2);
    assert.match(writes[1] ?? '', /^\r.*35%.*\x1b\[K$/);
    bar.clear();
    assert.equal(writes.at(-1), '\r\x1b[K');
  });
});
