import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emailProblem, normalizeEmail } from '../../src/accounts/emails.ts';

describe('emails', () => {
  it('when an email is typed with capitals or spaces around it, then it is one address; a malformed one is named', () => {
    assert.equal(normalizeEmail('  Ann@Example.COM '), 'ann@example.com');
    assert.equal(emailProblem(' Ann@Example.COM '), undefined);
    for (const bad of [
      '',
      'no-at-sign',
      'a@b@c',
      'a b@c.d',
      'a@\u0000',
      `${'a'.repeat(250)}@x.org`,
    ])
      assert.ok(emailProblem(bad), bad);
  });
});
