import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@filegraph/shared/config';
import { loadAccountsConfig } from '../../src/config.ts';

const base = {
  IDENTITY_SECRET: 'a secret of at least thirty-two characters',
  ACCOUNTS_STORE: '',
  DATABASE_URL: '',
  ADMIN_EMAIL: '',
  ADMIN_PASSWORD: '',
  SIGNUP: '',
  SESSION_IDLE_TIMEOUT: '',
  SESSION_LIFETIME: '',
};

const problemsOf = (env: Record<string, string>) => {
  try {
    loadAccountsConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('accounts configuration', () => {
  it('when nothing is set, then accounts live in SQLite, sign-up is closed and sessions last 7 days idle, 30 in all', () => {
    const config = loadAccountsConfig(base);
    assert.equal(config.store, 'sqlite');
    assert.equal(config.signup, 'closed');
    assert.equal(config.sessionIdleTimeout, 7 * 86_400_000);
    assert.equal(config.sessionLifetime, 30 * 86_400_000);
    assert.equal(config.adminEmail, undefined);
    assert.equal(config.port, 4003);
  });

  it('when ADMIN_EMAIL is given, then it is kept normalized with its password', () => {
    const config = loadAccountsConfig({
      ...base,
      ADMIN_EMAIL: ' Admin@Example.com',
      ADMIN_PASSWORD: 'long enough',
    });
    assert.equal(config.adminEmail, 'admin@example.com');
    assert.equal(config.adminPassword, 'long enough');
  });

  const wrong: Array<[string, Record<string, string>, RegExp]> = [
    ['postgres without DATABASE_URL', { ACCOUNTS_STORE: 'postgres' }, /^DATABASE_URL is required/],
    ['another store', { ACCOUNTS_STORE: 'mysql' }, /^ACCOUNTS_STORE/],
    ['a DATABASE_URL of another kind', { DATABASE_URL: 'mysql://x/y' }, /^DATABASE_URL/],
    ['ADMIN_EMAIL alone', { ADMIN_EMAIL: 'a@b.c' }, /^ADMIN_PASSWORD is required/],
    ['ADMIN_PASSWORD alone', { ADMIN_PASSWORD: 'long enough' }, /^ADMIN_EMAIL is required/],
    [
      'a short ADMIN_PASSWORD',
      { ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'short' },
      /^ADMIN_PASSWORD/,
    ],
    [
      'a malformed ADMIN_EMAIL',
      { ADMIN_EMAIL: 'nobody', ADMIN_PASSWORD: '12345678' },
      /^ADMIN_EMAIL/,
    ],
    ['SIGNUP=maybe', { SIGNUP: 'maybe' }, /^SIGNUP/],
    ['a session idle timeout of no time', { SESSION_IDLE_TIMEOUT: '0s' }, /^SESSION_IDLE_TIMEOUT/],
  ];
  for (const [what, env, problem] of wrong)
    it(`when given ${what}, then start-up stops naming the variable`, () => {
      const problems = problemsOf(env);
      assert.ok(
        problems.some((p) => problem.test(p)),
        JSON.stringify(problems),
      );
    });
});
