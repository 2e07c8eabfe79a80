import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot } from 'solid-js';
import { createSession, type Place } from '../../src/accounts/session.ts';
import { createFileList } from '../../src/files/fileList.ts';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import type { User } from '../../src/graphql/types.ts';
import { fakeFetch, until, type Answer, type SeenRequest } from './fakeApi.ts';

const admin: User = {
  id: 'u1',
  email: 'admin@filegraph.test',
  name: 'Ada',
  role: 'ADMIN',
  createdAt: '2025-01-01T00:00:00.000Z',
  disabled: false,
};
const password = 'correct horse battery staple';

const unauthenticated = (message = 'Sign in first.') => ({
  errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }],
});

/**
 * The accounts API as the gateway answers it, over one account and a cookie
 * the fake keeps (signedIn); `other` answers anything else (files, say).
 */
function fakeAccounts(
  options: {
    setupNeeded?: boolean;
    other?: (request: SeenRequest) => Answer | Promise<Answer>;
  } = {},
) {
  const state = { signedIn: false, setupNeeded: options.setupNeeded ?? false };
  let release: (() => void) | undefined;
  const api = fakeFetch(async (request) => {
    const variables = request.variables as Record<string, string>;
    switch (request.operationName) {
      case 'Session':
        return { data: { me: state.signedIn ? admin : null, setupNeeded: state.setupNeeded } };
      case 'SignIn':
        // Held until the test lets it go, to see the page wait.
        await new Promise<void>((resolve) => (release = resolve));
        if (variables.email !== admin.email || variables.password !== password)
          return unauthenticated('The email or password is wrong.');
        state.signedIn = true;
        return { data: { signIn: admin } };
      case 'Setup':
        if (variables.code !== 'the-code')
          return {
            errors: [{ message: 'This setup code is wrong.', extensions: { code: 'FORBIDDEN' } }],
          };
        state.setupNeeded = false;
        state.signedIn = true;
        return { data: { setup: { ...admin, email: variables.email } } };
      case 'SignOut':
        if (!state.signedIn) return unauthenticated();
        state.signedIn = false;
        return { data: { signOut: true } };
      default:
        if (!state.signedIn) return unauthenticated();
        return options.other?.(request) ?? { errors: [{ message: 'not faked' }] };
    }
  });
  return { ...api, state, release: () => release?.() };
}

/** The URL's hash, in memory. */
function memoryPlace(start: string): Place & { value: string } {
  const place = {
    value: start,
    get: () => place.value,
    set: (value: string) => {
      place.value = value;
    },
  };
  return place;
}

/** A session over `api`, wired to its client as App wires them. */
function sessionOver(api: { fetch: typeof fetch }, place = memoryPlace('#/')) {
  return createRoot((dispose) => {
    const client = createGraphQLClient({
      fetch: api.fetch,
      onUnauthenticated: () => session.expired(),
    });
    const session = createSession(client, { place });
    return { client, session, place, dispose };
  });
}

describe('session', () => {
  it('when nobody is signed in, then the sign-in page shows; a wrong password says why and a right one signs in', async () => {
    const api = fakeAccounts();
    const { session, dispose } = sessionOver(api);
    assert.equal(session.state(), 'loading');
    await session.check();
    assert.equal(session.state(), 'signedOut');
    assert.equal(session.ended(), false, 'nobody was signed in: no session ended');

    const wrong = session.signIn(admin.email, 'not the password');
    assert.equal(session.busy(), true, 'the button waits while the server checks');
    await until(() => api.seen.some((request) => request.operationName === 'SignIn'));
    api.release();
    assert.equal(await wrong, false);
    assert.equal(session.busy(), false);
    assert.equal(session.refusal(), 'The email or password is wrong.');
    assert.equal(session.state(), 'signedOut', 'a refused sign-in is not a session ending');

    const right = session.signIn(admin.email, password);
    assert.equal(session.refusal(), undefined, 'a new try clears the old refusal');
    await until(() => api.seen.filter((r) => r.operationName === 'SignIn').length === 2);
    api.release();
    assert.equal(await right, true);
    assert.equal(session.state(), 'signedIn');
    assert.deepEqual(session.user(), admin);
    dispose();
  });

  it('when no account exists yet, then the setup page shows, and a right code makes the admin and signs in', async () => {
    const api = fakeAccounts({ setupNeeded: true });
    const { session, dispose } = sessionOver(api);
    await session.check();
    assert.equal(session.state(), 'setup');
    const input = { code: 'wrong', email: 'first@example.org', password, name: '' };
    assert.equal(await session.setup(input), false);
    assert.equal(session.refusal(), 'This setup code is wrong.');
    assert.equal(session.state(), 'setup');
    assert.equal(await session.setup({ ...input, code: 'the-code' }), true);
    assert.equal(session.state(), 'signedIn');
    assert.equal(session.user()?.email, 'first@example.org');
    const sent = api.seen.filter((request) => request.operationName === 'Setup').at(-1);
    assert.equal(sent?.variables.name, null, 'an empty name is no name');
    dispose();
  });

  it('when any operation answers UNAUTHENTICATED, then the sign-in page shows, and signing in returns to where the person was', async () => {
    const api = fakeAccounts({
      other: () => ({
        data: {
          files: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 },
        },
      }),
    });
    api.state.signedIn = true;
    const { client, session, place, dispose } = sessionOver(api, memoryPlace('#/photos/2024/'));
    await session.check();
    assert.equal(session.state(), 'signedIn');

    // The session ends elsewhere (expired, signed out in another tab).
    api.state.signedIn = false;
    const files = createRoot((disposeList) => {
      const list = createFileList(client, () => ({
        prefix: 'photos/2024/',
        search: '',
        recursive: false,
        order: { field: 'NAME', direction: 'ASC' },
      }));
      return { list, disposeList };
    });
    await until(() => session.state() === 'signedOut');
    assert.equal(session.ended(), true, 'the page says the session ended');
    assert.equal(session.user(), undefined);
    files.disposeList();

    // Back pressed on the sign-in page: signing in still returns to the folder.
    place.value = '#trash';
    const signing = session.signIn(admin.email, password);
    await until(() => api.seen.some((request) => request.operationName === 'SignIn'));
    api.release();
    assert.equal(await signing, true);
    assert.equal(session.state(), 'signedIn');
    assert.equal(session.ended(), false);
    assert.equal(place.value, '#/photos/2024/');
    dispose();
  });

  it('when the gateway answers 401 without a GraphQL body, then the session has ended too', async () => {
    const api = fakeAccounts({ other: () => new Response('', { status: 401 }) });
    api.state.signedIn = true;
    const { client, session, dispose } = sessionOver(api);
    await session.check();
    const result = await client.query('query Files { files { totalCount } }', {}).toPromise();
    assert.equal(result.error?.response?.status, 401);
    assert.equal(session.state(), 'signedOut');
    assert.equal(session.ended(), true);
    dispose();
  });

  it('when the person signs out, then the sign-in page shows without saying a session ended', async () => {
    const api = fakeAccounts();
    api.state.signedIn = true;
    const { session, dispose } = sessionOver(api);
    await session.check();
    const outcome = await session.signOut();
    assert.deepEqual(outcome, { ok: true, value: true });
    assert.equal(session.state(), 'signedOut');
    assert.equal(session.ended(), false);
    assert.equal(api.state.signedIn, false);
    dispose();
  });

  it('when the server cannot be reached at start, then the page says so, and a retry gets in', async () => {
    let down = true;
    const accounts = fakeAccounts();
    const api = fakeFetch((request) =>
      down ? new TypeError('Failed to fetch') : accounts.fetch('/graphql', request.init),
    );
    const { session, dispose } = sessionOver(api);
    await session.check();
    assert.equal(session.state(), 'error');
    assert.equal(session.problem()?.code, 'NETWORK');
    down = false;
    await session.check();
    assert.equal(session.state(), 'signedOut');
    dispose();
  });
});
