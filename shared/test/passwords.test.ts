import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hashPassword,
  hashParameters,
  needsRehash,
  passwordProblem,
  verifyPassword,
} from '../src/passwords.ts';

describe('passwords', () => {
  it('when a password is 8 to 256 characters of any kind, then it is allowed; shorter or longer is not', () => {
    for (const fine of ['12345678', 'aaaaaaaa', '        ', '🔑🔑🔑🔑🔑🔑🔑🔑', 'x'.repeat(256)])
      assert.equal(passwordProblem(fine), undefined, fine);
    for (const [bad, length] of [
      ['1234567', 7],
      ['🔑🔑🔑🔑🔑🔑🔑', 7],
      ['x'.repeat(257), 257],
    ] as const)
      assert.match(passwordProblem(bad) ?? '', new RegExp(`8 to 256 .*this one has ${length}`));
  });

  it('when a password is hashed, then it is Argon2id with OWASP parameters, checks only against itself, and the same password hashes differently each time', async () => {
    assert.deepEqual(hashParameters, { memory: 19_456, passes: 2, parallelism: 1 });
    const hash = await hashPassword('correct horse');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(await hashPassword('correct horse'), hash);
    assert.equal(await verifyPassword('correct horse', hash), true);
    assert.equal(await verifyPassword('correct horsE', hash), false);
    // The same characters, composed or not (NFC): one password.
    const composed = await hashPassword('caf\u00e9 au lait');
    assert.equal(await verifyPassword('cafe\u0301 au lait', composed), true);
    assert.equal(needsRehash(hash), false);
  });

  it('when a stored hash is damaged or costs too much, then it checks nothing and asks to be replaced', async () => {
    const good = await hashPassword('some password');
    for (const damaged of [
      '',
      'plain text',
      good.replace('argon2id', 'argon2i'),
      good.replace('m=19456', 'm=99999999'),
      good.replace('t=2', 't=999'),
    ]) {
      assert.equal(await verifyPassword('some password', damaged), false, damaged);
      assert.equal(needsRehash(damaged), true);
    }
    assert.equal(await verifyPassword('some password', good.slice(0, -5)), false, 'a cut tag');
  });
});
