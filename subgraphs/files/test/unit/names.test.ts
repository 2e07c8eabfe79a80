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

  it('when a name holds a bidirectional control, then it is refused, naming the character and why', () => {
    const why = /a bidirectional control, which can make a name display in another order/;
    for (const char of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2069']) {
      refused(() => fileName(`invoice${char}fdp.exe`), why);
    }
    refused(() => fileName('left\u200eright'), /U\+200E, a bidirectional control/);
    refused(() => fileName('rtl\u200f.txt'), /U\+200F, a bidirectional control/);
    refused(() => fileName('arabic\u061c.txt'), /U\+061C, a bidirectional control/);
    refused(
      () => fileName('invoice\u202efdp.exe'),
      /^The file name "invoice\\u\{202E\}fdp\.exe" contains U\+202E, a bidirectional control.*; names may not contain bidirectional controls\.$/,
    );
  });

  it('when a name holds an invisible character, then it is refused, naming the character and why', () => {
    const invisible = [
      ['zero\u200bwidth', 'U+200B'],
      ['word\u2060joiner', 'U+2060'],
      ['invisible\u2064plus', 'U+2064'],
      ['\ufeffbom.txt', 'U+FEFF'],
      ['soft\u00adhyphen', 'U+00AD'],
      ['grapheme\u034fjoiner', 'U+034F'],
      ['mongolian\u180evowel', 'U+180E'],
      ['interlinear\ufff9.txt', 'U+FFF9'],
      ['hangul\u115f.txt', 'U+115F'],
      ['hangul\u1160.txt', 'U+1160'],
      ['\u3164.txt', 'U+3164'],
      ['half\uffa0width', 'U+FFA0'],
      ['shorthand\u{1bca0}.txt', 'U+1BCA0'],
    ];
    for (const [name, code] of invisible) {
      refused(
        () => fileName(name as string),
        new RegExp(`${code?.replace('+', '\\+')}, an invisible character`),
      );
    }
    refused(() => fileName('one\u2028line'), /U\+2028, a line or paragraph separator/);
    refused(() => fileName('one\u2029line'), /U\+2029, a line or paragraph separator/);
  });

  it('when ZWJ, ZWNJ or tag characters are out of place, then they are refused with where they may go', () => {
    refused(() => fileName('pay\u200dpal.txt'), /U\+200D, a zero width joiner.*emoji.*virama/);
    refused(() => fileName('\u200d👨.txt'), /U\+200D/);
    refused(() => fileName('👨\u200d.txt'), /U\+200D/);
    refused(() => fileName('pay\u200cpal.txt'), /U\+200C, a zero width non-joiner.*joining script/);
    refused(() => fileName('کتاب\u200c.txt'), /U\+200C/);
    refused(() => fileName('a/\u200cب'), /U\+200C/);
    refused(() => fileName('hidden\u{e0061}\u{e007f}.txt'), /U\+E0061, a tag character/);
    refused(() => fileName('🏴\u{e0067}\u{e0062}.txt'), /U\+E0067, a tag character/);
    refused(() => fileName('🏴\u{e007f}.txt'), /U\+E007F, a tag character/);
    refused(() => fileName('language\u{e0001}.txt'), /U\+E0001/);
  });

  it('when emoji, Persian, Arabic or Indic text needs ZWJ, ZWNJ, tags or variation selectors, then the name is kept as it is', () => {
    for (const name of [
      '👨\u200d👩\u200d👧 family.jpg',
      '❤\ufe0f\u200d🔥.png',
      '🏳\ufe0f\u200d🌈.png',
      '👩🏽\u200d💻 at work.txt',
      '🏃\u200d♀\ufe0f.gif',
      '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f} Scotland.txt',
      '☺\ufe0e text style.txt',
      '葛\u{e0100}城.txt',
      'می\u200cخواهم.txt',
      'کتاب\u200cها.pdf',
      'بِ\u200cب.txt',
      'क्\u200dष.txt',
      'क्\u200cष.txt',
      'അവന്\u200d.txt',
      'ශ්\u200dරී.txt',
    ]) {
      assert.equal(fileName(name), name.normalize('NFC'), JSON.stringify(name));
    }
    assert.equal(
      folderPrefix('👨\u200d👩\u200d👧/می\u200cخواهم'),
      '👨\u200d👩\u200d👧/می\u200cخواهم/',
    );
  });

  it('when a folder prefix or a rename holds a refused character, then it is refused the same way', () => {
    refused(
      () => folderPrefix('photos\u202e/2024'),
      /^The folder "photos\\u\{202E\}\/2024" contains U\+202E/,
    );
    refused(() => folderPrefix('zero\u200bwidth'), /U\+200B, an invisible character/);
    refused(
      () => nameInFolder('ok/', 'a\u200b.txt'),
      /^The file name "ok\/a\\u\{200B\}\.txt" contains U\+200B/,
    );
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
