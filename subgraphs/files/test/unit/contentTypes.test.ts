import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentTypeFor, inlineSafe } from '../../src/files/contentTypes.ts';
import { contentDisposition } from '../../src/http/download.ts';

describe('content types and disposition', () => {
  it('when a client declares a precise type, then it is kept; when it declares none or octet-stream, the extension decides', () => {
    assert.equal(contentTypeFor('x.bin', 'image/png'), 'image/png');
    assert.equal(contentTypeFor('x.jpg', 'Image/JPEG; charset=binary'), 'image/jpeg');
    assert.equal(contentTypeFor('x.jpg', 'application/octet-stream'), 'image/jpeg');
    assert.equal(contentTypeFor('notes.PDF', ''), 'application/pdf');
    assert.equal(contentTypeFor('dir.v2/README', undefined), 'application/octet-stream');
    assert.equal(contentTypeFor('x.txt', 'not a type'), 'text/plain');
  });

  it('when a type could run script, then it is never shown in place', () => {
    for (const type of [
      'text/html',
      'image/svg+xml',
      'application/xml',
      'text/javascript',
      'application/octet-stream',
    ]) {
      assert.equal(inlineSafe(type), false, type);
    }
    for (const type of ['image/png', 'video/mp4', 'audio/mpeg', 'application/pdf', 'text/plain']) {
      assert.equal(inlineSafe(type), true, type);
    }
  });

  it('when a name is not ASCII, then Content-Disposition carries an ASCII fallback and the exact UTF-8 name', () => {
    assert.equal(
      contentDisposition('attachment', 'docs/résumé "final".pdf'),
      `attachment; filename="r_sum_ _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
  });
});
