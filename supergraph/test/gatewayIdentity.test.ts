import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { after, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import { errorHandler } from '@filegraph/shared/http';
import { request } from '@filegraph/shared/httpClient';
import {
  identityHeader,
  identityKey,
  verifyIdentity,
  type Caller,
} from '@filegraph/shared/identity';
import { createLogger } from '@filegraph/shared/logger';
import { ScriptedServer } from '@filegraph/testing/scriptedServer';
import { CallerLookup } from '../src/identity/CallerLookup.ts';
import { GatewayIdentity } from '../src/identity/GatewayIdentity.ts';

const secret = identityKey('a-secret-for-the-gateway-identity-tests-0123456789');
const alice: Caller = {
  id: '0a11ce00-0000-4000-8000-000000000001',
  role: 'MEMBER',
  firstAdmin: false,
};
const goodToken = 'fg_a-token-the-accounts-service-knows';
const goodSession = 'a-session-id-the-accounts-service-knows';

/**
 * The gateway's one reading of cookies and tokens, against an accounts
 * service that answers what each test scripts: who the caller is, when it is
 * asked (and when it is not: the cache), and what happens when the
 * credential is bad or the accounts service is down.
 */
describe('who is calling, as the gateway finds out', () => {
  let accounts: ScriptedServer;
  let gateway: ScriptedServer;
  let asked: Array<{ session: string | null; token: string | null; signedBy: string | null }>;
  let accountsUp = true;

  before(async () => {
    accounts = await ScriptedServer.start((req, res) => {
      void text(req).then((body) => {
        const credential = JSON.parse(body) as { session: string | null; token: string | null };
        const signed = verifyIdentity(String(req.headers[identityHeader]), secret);
        asked.push({ ...credential, signedBy: signed.caller === null ? 'nobody' : null });
        if (!accountsUp) return void res.writeHead(503).end();
        const known = credential.token === goodToken || credential.session === goodSession;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ caller: known ? alice : null }));
      });
    });
    const identity = new GatewayIdentity(
      new CallerLookup({
        identityUrl: () => `${accounts.url}/identity`,
        secret,
        cacheMs: 300,
      }),
      secret,
      ['https://files.example.com'],
    );
    const app = express();
    app.use(identity.middleware());
    app.get('/whoami', (req, res) => {
      const signed = verifyIdentity(identity.headersFor(req, 'files')[identityHeader], secret);
      res.json({ caller: signed.caller });
    });
    app.get('/handoff', (req, res) => {
      identity.fromAccounts(req, res, String(req.query.value));
      res.end();
    });
    app.use(errorHandler(createLogger({ level: 'error', format: 'silent' })));
    gateway = await ScriptedServer.start(app);
  });
  after(() => Promise.all([gateway?.close(), accounts?.close()]));
  beforeEach(() => {
    asked = [];
    accountsUp = true;
  });

  const whoami = (headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/whoami`, { headers });

  it('when nothing identifies the request, then it goes as nobody and accounts is not asked', async () => {
    const answer = await whoami();
    assert.deepEqual(await answer.json(), { caller: null });
    assert.deepEqual(asked, []);
  });

  it('when a token checks out, then the request acts as its user, and the next ones are not asked again for a while', async () => {
    for (let i = 0; i < 3; i += 1) {
      const answer = await whoami({ authorization: `Bearer ${goodToken}` });
      assert.deepEqual(await answer.json(), { caller: alice });
    }
    assert.deepEqual(asked, [{ session: null, token: goodToken, signedBy: 'nobody' }]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await whoami({ authorization: `Bearer ${goodToken}` });
    assert.equal(asked.length, 2, 'asked again once the cache ran out (revocation honoured)');
  });

  it('when a token does not check out, or the header is malformed, then the request is refused with 401', async () => {
    for (const authorization of [
      'Bearer fg_not-a-token-anyone-made',
      'Basic dXNlcjpwdw==',
      'Bearer',
    ]) {
      const answer = await whoami({ authorization });
      assert.equal(answer.status, 401, authorization);
      const body = (await answer.json()) as { errors: Array<{ extensions: { code: string } }> };
      assert.equal(body.errors[0]?.extensions.code, 'UNAUTHENTICATED');
    }
  });

  it('when the session cookie checks out, then the request acts as its user; a stale one is cleared and goes as nobody', async () => {
    const good = await whoami({ cookie: `other=1; fg_session=${goodSession}` });
    assert.deepEqual(await good.json(), { caller: alice });
    const stale = await whoami({ cookie: 'fg_session=a-session-that-was-signed-out' });
    assert.equal(stale.status, 200);
    assert.deepEqual(await stale.json(), { caller: null });
    assert.match(stale.headers.get('set-cookie') ?? '', /^fg_session=; Max-Age=0;.*HttpOnly/);
  });

  it('when a page of another origin sends the session cookie, then the request is refused (CSRF)', async () => {
    const refused = await whoami({
      cookie: `fg_session=${goodSession}`,
      origin: 'https://evil.example',
    });
    assert.equal(refused.status, 403);
    for (const origin of ['https://files.example.com', 'http://localhost:4000']) {
      const same = await whoami({ cookie: `fg_session=${goodSession}`, origin });
      assert.equal(same.status, 200, origin);
    }
  });

  it('when accounts is down, then a request with a credential gets 503 and one without goes on', async () => {
    accountsUp = false;
    const withToken = await whoami({ authorization: 'Bearer fg_never-seen-before-so-not-cached' });
    assert.equal(withToken.status, 503);
    assert.equal((await whoami()).status, 200);
  });

  it('when accounts hands over a session, then it becomes an HttpOnly, SameSite=Lax cookie, Secure behind an https origin', async () => {
    const local = await fetch(
      `${gateway.url}/handoff?value=${encodeURIComponent('abcdefghijklmnopqrstuvwxyz012345; Max-Age=600')}`,
    );
    const cookie = local.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^fg_session=abcdefghijklmnopqrstuvwxyz012345; Max-Age=600; Path=\/;/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);
    // fetch may not set Host; node:http may, as a browser at the proxy's name would.
    const behindProxy = await request(
      `${gateway.url}/handoff?value=${encodeURIComponent('abcdefghijklmnopqrstuvwxyz012345; Max-Age=600')}`,
      { headers: { host: 'files.example.com' } },
    );
    assert.match(String(behindProxy.headers['set-cookie']), /Secure/);
    const garbage = await fetch(
      `${gateway.url}/handoff?value=${encodeURIComponent('a; b; Domain=evil.example')}`,
    );
    assert.equal(garbage.headers.get('set-cookie'), null);
  });
});
