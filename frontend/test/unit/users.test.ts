import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot } from 'solid-js';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import type { User } from '../../src/graphql/types.ts';
import { createNotices } from '../../src/ui/notices.ts';
import { createUserList } from '../../src/users/userList.ts';
import { fakeFetch, until } from './fakeApi.ts';

const user = (n: number, role: User['role'] = 'MEMBER'): User => ({
  id: `u${n}`,
  email: `user${n}@example.org`,
  name: null,
  role,
  createdAt: '2025-01-01T00:00:00.000Z',
  disabled: false,
});

/** The admin part of the accounts API over users in email order; u1 is the last admin. */
function fakeUsers(count: number) {
  const users = Array.from({ length: count }, (_, i) => user(i + 1, i === 0 ? 'ADMIN' : 'MEMBER'));
  const api = fakeFetch((request) => {
    const variables = request.variables as Record<string, string | number | null>;
    const find = () => users.findIndex((each) => each.id === variables.id);
    const replace = (changed: User) => {
      users[find()] = changed;
      return changed;
    };
    switch (request.operationName) {
      case 'Users': {
        const start = variables.after ? Number(variables.after) : 0;
        const nodes = users.slice(start, start + Number(variables.first));
        const end = start + nodes.length;
        return {
          data: {
            users: {
              nodes,
              pageInfo: { hasNextPage: end < users.length, endCursor: String(end) },
              totalCount: users.length,
            },
          },
        };
      }
      case 'SetRole':
        if (variables.id === 'u1')
          return {
            errors: [
              { message: 'This is the last active admin.', extensions: { code: 'CONFLICT' } },
            ],
          };
        return {
          data: { setRole: replace({ ...users[find()]!, role: variables.role as User['role'] }) },
        };
      case 'DisableUser':
        return { data: { disableUser: replace({ ...users[find()]!, disabled: true }) } };
      case 'CreateUser': {
        const made = { ...user(users.length + 1), email: String(variables.email) };
        users.push(made);
        return { data: { createUser: made } };
      }
      default:
        return { errors: [{ message: `not faked: ${request.operationName}` }] };
    }
  });
  return { ...api, users };
}

function usersOver(api: { fetch: typeof fetch }) {
  return createRoot((dispose) => {
    const notices = createNotices();
    const list = createUserList(createGraphQLClient({ fetch: api.fetch }), {
      notify: notices.notify,
      page: 2,
    });
    const said = () => notices.list().map((notice) => notice.message);
    return { list, said, dispose };
  });
}

describe('users', () => {
  it('when there are more users than a page, then more pages follow the cursor', async () => {
    const api = fakeUsers(5);
    const { list, dispose } = usersOver(api);
    await until(() => list.state() === 'ready');
    assert.equal(list.items().length, 2);
    assert.equal(list.totalCount(), 5);
    list.loadMore();
    await until(() => list.items().length === 4);
    assert.equal(api.seen.at(-1)?.variables.after, '2');
    list.loadMore();
    await until(() => !list.hasMore());
    assert.equal(list.items().length, 5);
    dispose();
  });

  it('when a change is refused, then a notice gives the API’s reason and nothing changes', async () => {
    const { list, said, dispose } = usersOver(fakeUsers(3));
    await until(() => list.state() === 'ready');
    await list.setRole(list.items()[0]!, 'MEMBER');
    assert.equal(list.items()[0]?.role, 'ADMIN');
    assert.match(
      said().at(-1) ?? '',
      /Nothing changed for user1@example.org: This is the last active admin/,
    );
    dispose();
  });

  it('when a role changes or a user is disabled, then the row shows what the API answered', async () => {
    const { list, said, dispose } = usersOver(fakeUsers(3));
    await until(() => list.state() === 'ready');
    await list.setRole(list.items()[1]!, 'ADMIN');
    assert.equal(list.items()[1]?.role, 'ADMIN');
    await list.setDisabled(list.items()[1]!, true);
    assert.equal(list.items()[1]?.disabled, true);
    assert.match(said().at(-1) ?? '', /Disabled user2@example.org/);
    dispose();
  });

  it('when a user is created, then they join the list in email order', async () => {
    const { list, dispose } = usersOver(fakeUsers(1));
    await until(() => list.state() === 'ready');
    const ok = await list.create({
      email: ' a@example.org ',
      password: 'long enough',
      name: '',
      role: 'MEMBER',
    });
    assert.equal(ok, true);
    assert.deepEqual(
      list.items().map((each) => each.email),
      ['a@example.org', 'user1@example.org'],
    );
    assert.equal(list.totalCount(), 2);
    dispose();
  });
});
