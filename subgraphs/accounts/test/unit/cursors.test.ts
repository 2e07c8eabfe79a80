import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AppError } from '@filegraph/shared/errors';
import { decodeUserCursor, encodeUserCursor } from '../../src/accounts/cursors.ts';

const refusedAsInput = (error: unknown) =>
  error instanceof AppError &&
  error.code === 'BAD_USER_INPUT' &&
  /not a cursor this API gave out/.test(error.message);

describe('users page cursors', () => {
  it('when a cursor was given out, then it reads back as the email it names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'grapheme' }), (email) => {
        assert.equal(decodeUserCursor(encodeUserCursor(email)), email);
      }),
    );
  });

  it('when anything else is sent as a cursor, then it reads as an email or is BAD_USER_INPUT, never another error', () => {
    const anything = fc.oneof(
      fc.string({ maxLength: 200, unit: 'binary' }),
      fc.json().map((json) => Buffer.from(json).toString('base64url')),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
    );
    fc.assert(
      fc.property(anything, (raw) => {
        try {
          assert.equal(typeof decodeUserCursor(raw), 'string');
        } catch (error) {
          assert.ok(refusedAsInput(error), String(error));
        }
      }),
    );
  });

  it('when a cursor is not of our shape, then it is refused', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const raw of [
      '',
      'not base64 at all!',
      encode({ email: 'a@b.c' }),
      encode(['email']),
      encode(['email', 5]),
      encode(['name', 'a@b.c']),
      encode(['email', 'a@b.c', 'extra']),
      encode(null),
    ])
      assert.throws(() => decodeUserCursor(raw), refusedAsInput, raw);
  });
});
