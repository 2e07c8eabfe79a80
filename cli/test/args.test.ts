import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../src/args.ts';
import { commands } from '../src/commands.ts';

describe('parseCommandLine', () => {
  it('when global options come before the command, then the command is still found, with their values', () => {
    const parsed = parseCommandLine(
      ['--url', 'http://x:1', '--json', 'get', 'a.txt', '-o', '-'],
      commands,
    );
    assert.equal(parsed.command?.name, 'get');
    assert.deepEqual(parsed.positionals, ['a.txt']);
    assert.equal(parsed.values.url, 'http://x:1');
    assert.equal(parsed.values.json, true);
    assert.equal(parsed.values.output, '-');
  });

  it('when a name starts with a dash, then it can follow --', () => {
    const parsed = parseCommandLine(['rm', '--', '-odd-name.txt'], commands);
    assert.deepEqual(parsed.positionals, ['-odd-name.txt']);
  });

  it('when an option belongs to another command, then it is refused', () => {
    assert.throws(
      () => parseCommandLine(['ls', '--overwrite'], commands),
      /Unknown option '--overwrite'/,
    );
  });

  it('when only options are given, then there is no command', () => {
    assert.equal(parseCommandLine(['--help'], commands).command, undefined);
  });
});
