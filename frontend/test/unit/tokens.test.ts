import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot } from 'solid-js';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import type { ApiToken } from '../../src/graphql/types.ts';
import { createTokenList } from '../../src/tokens/tokenList.ts';
import { createNotices } from '../../src/ui/notices.ts';
import { fakeFetch, until } from './fakeApi.ts';

/** The tokens part of the accounts API: secrets are made on create and never listed. */
function fakeTokens(start: ApiToken[] = []) {
  const tokens = [...start];
  let made = 0;
  const api = fakeFetch((request) => {
    const variables = request.variables as { name?: string; expiresInDays?: number; id?: string };
    switch (request.operationName) {
      case 'Tokens':
        return { data: { tokens } };
      case 'CreateToken': {
        made += 1;
        const info: ApiToken = {
          id: `t${made}`,
          name: variables.name ?? '',
          createdAt: '2025-01-02T00:00:00.000Z',
          expiresAt: variables.expiresInDays ? '2025-01-09T00:00:00.000Z' : null,
          lastUsedAt: null,
        };
        tokens.push(info);
        return { data: { createToken: { token: `fg_secret${made}`, info } } };
      }
      case 'RevokeToken': {
        const index = tokens.findIndex((token) => token.id === variables.id);
        if (index < 0)
          return { errors: [{ message: 'No such token.', extensions: { code: 'NOT_FOUND' } }] };
        tokens.splice(index, 1);
        return { data: { revokeToken: true } };
      }
      default:
        return { errors: [{ message: `not faked: ${request.operationName}` }] };
    }
  });
  return { ...api, tokens };
}

function tokensOver(api: { fetch: typeof fetch }) {
  return createRoot((dispose) => {
    const notices = createNotices();
    const list = createTokenList(createGraphQLClient({ fetch: api.fetch }), {
      notify: notices.notify,
    });
    return { list, notices, dispose };
  });
}

describe('API tokens', () => {
  it('when a token is created, then its secret shows once: not in the list, and gone once dismissed or reloaded', async () => {
    const api = fakeTokens();
    const { list, dispose } = tokensOver(api);
    await until(() => list.state() === 'empty');
    assert.equal(await list.create('  backup script ', 7), true);
    assert.deepEqual(api.seen.at(-1)?.variables, { name: 'backup script', expiresInDays: 7 });
    assert.equal(list.created()?.token, 'fg_secret1');
    assert.equal(list.state(), 'ready');
    assert.deepEqual(
      list.items().map((token) => token.name),
      ['backup script'],
    );
    assert.ok(!JSON.stringify(list.items()).includes('fg_secret'), 'the list holds no secret');
    list.dismissCreated();
    assert.equal(list.created(), undefined);
    list.reload();
    await until(() => list.state() === 'ready');
    assert.equal(list.created(), undefined, 'a reload does not bring the secret back');
    assert.ok(!JSON.stringify(list.items()).includes('fg_secret'));
    dispose();
  });

  it('when another token is made, then only the new secret shows', async () => {
    const { list, dispose } = tokensOver(fakeTokens());
    await until(() => list.state() !== 'loading');
    await list.create('one', undefined);
    await list.create('two', undefined);
    assert.equal(list.created()?.token, 'fg_secret2');
    assert.equal(list.items().length, 2);
    dispose();
  });

  it('when the name is empty or the days are out of range, then nothing is sent and the form says why', async () => {
    const api = fakeTokens();
    const { list, dispose } = tokensOver(api);
    await until(() => list.state() !== 'loading');
    const sent = api.seen.length;
    assert.equal(await list.create('  ', undefined), false);
    assert.match(list.refusal() ?? '', /name/);
    assert.equal(await list.create('ok', 0), false);
    assert.match(list.refusal() ?? '', /1 to 3650/);
    assert.equal(await list.create('ok', 2.5), false);
    assert.equal(api.seen.length, sent);
    dispose();
  });

  it('when a revoke is confirmed, then the token leaves the list; a cancelled one stays', async () => {
    const token = (id: string, name: string): ApiToken => ({
      id,
      name,
      createdAt: '2025-01-01T00:00:00.000Z',
      expiresAt: null,
      lastUsedAt: '2025-01-03T10:00:00.000Z',
    });
    const api = fakeTokens([token('a', 'laptop'), token('b', 'ci')]);
    const { list, notices, dispose } = tokensOver(api);
    await until(() => list.state() === 'ready');
    list.askRevoke(list.items()[0] as ApiToken);
    list.cancelRevoke();
    assert.equal(api.seen.length, 1, 'nothing sent without a yes');
    list.askRevoke(list.items()[0] as ApiToken);
    assert.equal(list.pendingRevoke()?.name, 'laptop');
    await list.confirmRevoke();
    assert.deepEqual(
      list.items().map((each) => each.name),
      ['ci'],
    );
    assert.equal(list.pendingRevoke(), undefined);
    assert.match(notices.list().at(-1)?.message ?? '', /Revoked the token laptop/);
    dispose();
  });
});
