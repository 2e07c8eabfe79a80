import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refused } from '../src/errors.ts';
import { Output } from '../src/Output.ts';

function capture(json: boolean, isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  const output = new Output(
    {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text), isTTY, columns: 100 },
    },
    json,
  );
  return { output, out, err };
}

describe('Output', () => {
  it('when a name carries control characters, then they are shown escaped, never sent to the terminal', () => {
    const { output, out } = capture(false);
    output.line('uploaded evil\x1b[2Jname\x07.txt');
    assert.equal(out.join(''), 'uploaded evil\\x1B[2Jname\\x07.txt\n');
  });

  it('when --json is on, then only the result reaches stdout and only the error reaches stderr', () => {
    const { output, out, err } = capture(true, true);
    output.line('a line');
    output.note('a note');
    output.progress({ label: 'uploading', bytes: 1, totalBytes: 2 });
    output.problem('a.txt', refused('CONFLICT', 'taken'));
    output.result({ ok: true });
    output.error(refused('NOT_FOUND', 'gone'));
    assert.deepEqual(JSON.parse(out.join('')), { ok: true });
    assert.deepEqual(JSON.parse(err.join('')), { error: { code: 'NOT_FOUND', message: 'gone' } });
  });

  it('when a line comes while the bar is shown, then the bar steps aside and comes back', () => {
    const { output, out, err } = capture(false, true);
    output.progress({ label: 'uploading', bytes: 1, totalBytes: 2 });
    output.line('uploaded a.txt');
    assert.deepEqual(out, ['uploaded a.txt\n']);
    assert.equal(err.length, 3);
    assert.equal(err[1], '\r\x1b[K');
    assert.match(err[2] ?? '', /^\ruploading .*50%/);
  });
});
