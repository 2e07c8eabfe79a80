import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '@filegraph/shared/errors';
import {
  fileName,
  folderPrefix,
  nameInFolder,
  parentFolders,
  searchFold,
} from '../../src/files/names.ts';

const refused = (run: () => unknown, message: RegExp) =>
  assert.throws(
    run,
    (error: unknown) =>
      error instanceof AppError && error.code === 'BAD_USER_INPUT' && message.test(error.message),
  );

describe('file names', () => {
  it('when a name has leading, trailing or repeated slashes in its folders, then they are dropped', () => {
    assert.equal(fileName('/photos//2024///a.jpg'), 'photos/2024/a.jpg');
    assert.equal(folderPrefix('/photos//2024/'), 'photos/2024/');
    assert.equal(folderPrefix('photos'), 'photos/');
    assert.equal(folderPrefix(''), '');
    assert.equal(folderPrefix(undefined), '');
    assert.equal(nameInFolder('a/', 'b.txt'), 'a/b.txt');
  });

  it('when a name is decomposed Unicode, then it is stored composed (NFC)', () => {
    assert.equal(fileName('Cafe\u0301.txt'), 'Café.txt');
    assert.equal(searchFold('ÄRGER'), 'ärger');
  });

  it('when a name is empty, a folder, or only a folder, then it is refused', () => {
    refused(() => fileName(''), /empty/);
    refused(() => fileName('   '), /empty/);
    refused(() => fileName('a/'), /ends with "\/"/);
    refused(() => fileName('///'), /ends with/);
  });

  it('when a name holds "." or ".." or a blank part, then it is refused', () => {
    refused(() => fileName('../etc/passwd'), /"\.\."/);
    refused(() => fileName('a/./b'), /"\."/);
    refused(() => fileName('..'), /"\.\."/);
    refused(() => folderPrefix('x/../../y'), /"\.\."/);
    refused(() => fileName('a/  /b'), /spaces/);
  });

  it('when a name holds a control character or invalid Unicode, then it is refused, naming the character', () => {
    refused(() => fileName('a\u0000b'), /U\+0000/);
    refused(() => fileName('line\nbreak'), /U\+000A/);
    refused(() => fileName('del\u007f'), /U\+007F/);
    refused(() => fileName('c1\u0085'), /U\+0085/);
    refused(() => fileName('half \ud800 surrogate'), /not valid Unicode/);
  });

  it('when a name is too long in UTF-8, then it is refused with the limits', () => {
    assert.equal(fileName('é'.repeat(127)), 'é'.repeat(127));
    refused(() => fileName('é'.repeat(128)), /256 bytes.*255 bytes/);
    const long = `${'folder/'.repeat(147)}f`;
    assert.ok(Buffer.byteLength(long) > 1024);
    refused(() => fileName(long), /at most 1024 bytes/);
  });

  it('when asked for the folders of a name, then they come outermost first', () => {
    assert.deepEqual(parentFolders('a/b/c.txt'), ['a', 'a/b']);
    assert.deepEqual(parentFolders('c.txt'), []);
  });
});
