import { graphql } from './graphql.ts';

/** The first admin of every stack and embedded default the tests start (ADMIN_EMAIL / ADMIN_PASSWORD). */
export const testAdmin = {
  email: 'admin@filegraph.test',
  password: 'correct horse battery staple',
} as const;

/** What startService / startStack give the accounts subgraph so that the first admin exists. */
export const testAdminEnv = {
  ADMIN_EMAIL: testAdmin.email,
  ADMIN_PASSWORD: testAdmin.password,
} as const;

/** Signs in through the gateway; the session cookie it set, as a Cookie header value. */
export async function signIn(
  url: string,
  who: { email: string; password: string } = testAdmin,
): Promise<string> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }',
      variables: { e: who.email, p: who.password },
    }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('fg_session=') && pair !== 'fg_session=');
  if (!cookie) throw new Error(`sign-in as ${who.email} failed: ${await response.text()}`);
  return cookie;
}

/**
 * Headers that act as `who` through the gateway: an API token made for the
 * tests (createToken after signing in), sent as a script would send it.
 */
export async function tokenHeaders(
  url: string,
  who: { email: string; password: string } = testAdmin,
): Promise<() => Record<string, string>> {
  const cookie = await signIn(url, who);
  const created = await graphql<{ createToken: { token: string } }>(
    url,
    'mutation { createToken(name: "tests", expiresInDays: 1) { token } }',
    {},
    { headers: { cookie } },
  );
  const token = created.data?.createToken.token;
  if (!token) throw new Error(`no token for ${who.email}: ${JSON.stringify(created.errors)}`);
  return () => ({ authorization: `Bearer ${token}` });
}

/** Creates a member (as the test admin) and returns how to act as them. */
export async function newMember(
  url: string,
  admin: () => Record<string, string>,
  email: string,
  password = 'a member password of some length',
): Promise<() => Record<string, string>> {
  const created = await graphql(
    url,
    'mutation ($e: String!, $p: String!) { createUser(email: $e, password: $p) { id } }',
    { e: email, p: password },
    { headers: admin() },
  );
  if (created.errors) throw new Error(`createUser ${email}: ${JSON.stringify(created.errors)}`);
  return tokenHeaders(url, { email, password });
}
