import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileRecord } from '../../src/catalogue/Catalogue.ts';
import { csvField, csvRecord } from '../../src/report/csv.ts';
import { UsageTally } from '../../src/report/UsageTally.ts';

describe('CSV fields', () => {
  it('when text holds commas, quotes or line breaks, then it is quoted with quotes doubled', () => {
    assert.equal(csvField('plain.txt'), 'plain.txt');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rlf'), '"cr\rlf"');
  });

  it('when text starts like a formula (= + - @, tab, CR), then a quote is put before it so a spreadsheet shows it as text', () => {
    for (const text of ['=1+2', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'])
      assert.equal(csvField(text), `"'${text.replaceAll('"', '""')}"`);
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField('a=1'), 'a=1', 'only at the start');
  });

  it('when a value is a number, then it is written as it is, even a negative one', () => {
    assert.equal(csvField(0), '0');
    assert.equal(csvField(-5), '-5');
    assert.equal(csvRecord(['a', 1, '=b']), `a,1,"'=b"\r\n`);
  });
});

const file = (
  owner: string,
  name: string,
  size: number,
  contentType = 'text/plain',
): FileRecord => ({
  id: `${owner}:${name}`,
  owner,
  name,
  size,
  contentType,
  checksum: '',
  createdAt: new Date(0),
  updatedAt: new Date(0),
  deletedAt: undefined,
  key: '',
});

describe('usage totals', () => {
  it('when files are counted, then folders have their own and their subfolders’ totals, the top level all of an owner’s', () => {
    const tally = new UsageTally();
    for (const each of [
      file('a', 'top.txt', 1),
      file('a', 'x/one.txt', 10),
      file('a', 'x/y/two.png', 100, 'image/png'),
      file('a', 'x/y/z/three.png', 1000, 'image/png'),
      file('b', 'x/other.txt', 5),
    ])
      tally.add(each);
    assert.deepEqual(
      tally.byFolder().map((f) => [f.owner, f.folder, f.files, f.bytes, f.allFiles, f.allBytes]),
      [
        ['a', '', 1, 1, 4, 1111],
        ['a', 'x/', 1, 10, 3, 1110],
        ['a', 'x/y/', 1, 100, 2, 1100],
        ['a', 'x/y/z/', 1, 1000, 1, 1000],
        ['b', '', 0, 0, 1, 5],
        ['b', 'x/', 1, 5, 1, 5],
      ],
    );
    assert.deepEqual(tally.byType(), [
      { key: 'image/png', files: 2, bytes: 1100 },
      { key: 'text/plain', files: 3, bytes: 16 },
    ]);
    assert.deepEqual(tally.byOwner(), [
      { key: 'a', files: 4, bytes: 1111 },
      { key: 'b', files: 1, bytes: 5 },
    ]);
    assert.equal(tally.files, 5);
    assert.equal(tally.bytes, 1116);
  });

  it('when folder names sort differently in UTF-16 and UTF-8, then folders come in byte order, as the catalogue lists names', () => {
    const tally = new UsageTally();
    // U+FF5E (3 bytes in UTF-8) sorts before U+1F600 (4 bytes) in UTF-8 but after it in UTF-16.
    tally.add(file('a', '\u{1F600}/a.txt', 1));
    tally.add(file('a', '\uFF5E/b.txt', 1));
    assert.deepEqual(
      tally.byFolder().map((f) => f.folder),
      ['', '\uFF5E/', '\u{1F600}/'],
    );
  });
});
