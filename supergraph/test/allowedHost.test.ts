import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedHost } from '../src/http/allowedHost.ts';

describe('which Host headers name the gateway', () => {
  const allowed = allowedHost(['https://files.example.com', 'http://nas.lan:4000']);
  const table: Array<[string | undefined, boolean]> = [
    ['localhost', true],
    ['localhost:4000', true],
    ['LocalHost.:4000', true],
    ['files.localhost:8080', true],
    ['127.0.0.1:4000', true],
    ['[::1]:4000', true],
    ['files.example.com', true],
    ['FILES.example.com:443', true],
    ['files.example.com:80', false],
    ['files.example.com:8443', false],
    ['nas.lan:4000', true],
    ['nas.lan', false],
    ['evil.example', false],
    ['evil.example:4000', false],
    ['localhost.evil.example', false],
    ['127.0.0.1.evil.example', false],
    ['evil.example@localhost', false],
    ['localhost/evil', false],
    ['127.0.0.2', false],
    ['', false],
    [undefined, false],
  ];
  for (const [host, expected] of table) {
    it(`when the Host is ${JSON.stringify(host)}, then it is ${expected ? 'admitted' : 'refused'}`, () => {
      assert.equal(allowed(host), expected);
    });
  }

  it('when no origins are configured, then only localhost names are admitted', () => {
    const local = allowedHost([]);
    assert.equal(local('localhost:4000'), true);
    assert.equal(local('files.example.com'), false);
  });
});
