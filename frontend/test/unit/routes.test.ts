import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { folderHref, hrefOf, routeOf } from '../../src/routing/routes.ts';

describe('routes', () => {
  it('when the hash is the trash’s address, then the trash shows', () => {
    assert.deepEqual(routeOf('#trash'), { view: 'trash' });
    assert.equal(hrefOf({ view: 'trash' }), '#trash');
  });

  it('when there is no hash, then the top folder shows', () => {
    assert.deepEqual(routeOf(''), { view: 'files', prefix: '' });
    assert.deepEqual(routeOf('#'), { view: 'files', prefix: '' });
    assert.deepEqual(routeOf('#/'), { view: 'files', prefix: '' });
  });

  it('when the hash is a folder path, then the files view shows that folder', () => {
    assert.deepEqual(routeOf('#/photos/2024/'), { view: 'files', prefix: 'photos/2024/' });
    assert.deepEqual(routeOf('#photos/'), { view: 'files', prefix: 'photos/' });
  });

  it('when a folder is called "trash", then its address is not the trash’s', () => {
    assert.equal(folderHref('trash/'), '#/trash/');
    assert.deepEqual(routeOf(folderHref('trash/')), { view: 'files', prefix: 'trash/' });
  });

  it('when a folder name holds spaces, "#", "%", "?" or accents, then its address brings it back unchanged', () => {
    const path = 'a b/#1 100%?/ünï côdé/';
    const href = hrefOf({ view: 'files', prefix: path });
    assert.equal(href, '#/a%20b/%231%20100%25%3F/%C3%BCn%C3%AF%20c%C3%B4d%C3%A9/');
    assert.deepEqual(routeOf(href), { view: 'files', prefix: path });
  });

  it('when the hash does not decode, then the top folder shows', () => {
    assert.deepEqual(routeOf('#/bad%E0%A4%A/'), { view: 'files', prefix: '' });
  });
});
