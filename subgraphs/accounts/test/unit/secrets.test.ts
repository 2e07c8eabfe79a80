import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  isApiToken,
  isSessionId,
  newApiToken,
  newSessionId,
  newSetupCode,
  normalizeSetupCode,
  sameHash,
  secretHash,
} from '../../src/accounts/secrets.ts';

const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('the secrets accounts hands out, read back from untrusted input', () => {
  it('when a token or session id is made, then it has the one shape that is accepted, and never twice the same', () => {
    const tokens = new Set(Array.from({ length: 200 }, newApiToken));
    assert.equal(tokens.size, 200);
    for (const token of tokens) {
      assert.match(token, /^fg_[A-Za-z0-9_-]{43}$/);
      assert.equal(isApiToken(token), true);
      assert.equal(isSessionId(token), false);
    }
    const session = newSessionId();
    assert.equal(isSessionId(session), true);
    assert.equal(isApiToken(session), false);
  });

  it('when any string is offered as a token, then only fg_ and 43 base64url characters pass', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80, unit: 'binary' }),
          // Near misses: a length off by a little, no prefix, a trailing newline.
          fc.stringMatching(/^(fg_|fg-|FG_)?[A-Za-z0-9_-]{41,45}\n?$/),
        ),
        (raw) => {
          const shaped = /^fg_[A-Za-z0-9_-]{43}$/.test(raw);
          assert.equal(isApiToken(raw), shaped);
          assert.equal(isSessionId(raw), /^[A-Za-z0-9_-]{43}$/.test(raw));
        },
      ),
    );
  });

  it('when a real token is changed in one place, then it is still well formed or refused, and its hash differs', () => {
    const token = newApiToken();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: token.length - 1 }),
        fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
        (at, char) => {
          const changed = `${token.slice(0, at)}${char}${token.slice(at + 1)}`;
          fc.pre(changed !== token);
          const stillBase64url = at >= 3 && base64url.includes(char);
          assert.equal(isApiToken(changed), stillBase64url);
          assert.equal(sameHash(secretHash(changed), secretHash(token)), false);
        },
      ),
    );
  });

  it('when a setup code is typed in lower case, with spaces or without its hyphen, then it is the same code', () => {
    const code = newSetupCode();
    assert.match(code, /^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    for (const typed of [code.toLowerCase(), code.replace('-', ''), ` ${code.replace('-', ' ')} `])
      assert.equal(normalizeSetupCode(typed), normalizeSetupCode(code));
    assert.notEqual(normalizeSetupCode(newSetupCode()), normalizeSetupCode(code));
  });
});
