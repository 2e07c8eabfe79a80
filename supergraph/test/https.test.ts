import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { tokenHeaders, testAdmin } from '@filegraph/testing/accounts';
import { graphql } from '@filegraph/testing/graphql';
import { freePort } from '@filegraph/processes/ports';
import { hostRequest } from '@filegraph/testing/hostRequest';
import { selfSigned } from '@filegraph/processes/tls';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

const signInQuery = JSON.stringify({
  query: 'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }',
  variables: { e: testAdmin.email, p: testAdmin.password },
});

describe('HTTPS at the gateway (TLS_CERT, TLS_KEY, HTTP_REDIRECT_PORT)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let pair: { cert: string; key: string };
  let embedded: RunningService;
  let redirectPort: number;

  before(async () => {
    dir = await tempDir('https');
    pair = await selfSigned(dir.path, 'localhost');
    // This process's fetch (and the helpers that use it) trusts the test's certificate.
    setDefaultCACertificates([...getCACertificates('default'), await readFile(pair.cert, 'utf8')]);
    redirectPort = await freePort();
    embedded = await startService('embedded', {
      DATA_DIR: join(dir.path, 'data'),
      TLS_CERT: pair.cert,
      TLS_KEY: pair.key,
      HTTP_REDIRECT_PORT: String(redirectPort),
      // People reach it there on 443 (a published port, a load balancer), not on the port it listens on.
      PUBLIC_ORIGINS: 'https://files.example.com',
    });
  });
  after(async () => {
    await embedded?.stop();
    await dir?.remove();
  });

  it('when the platform is ready, then it says where over https://', () => {
    assert.match(embedded.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('when a script sends GraphQL over HTTPS with a token, then it is answered', async () => {
    const admin = await tokenHeaders(embedded.url);
    const answer = await graphql<{ me: { email: string } }>(
      embedded.url,
      '{ me { email } }',
      {},
      { headers: admin() },
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.errors));
    assert.equal(answer.data?.me.email, testAdmin.email);
  });

  it('when the health query is asked over HTTPS, then the gateway itself is checked over HTTPS and OK', async () => {
    const admin = await tokenHeaders(embedded.url);
    const answer = await graphql<{
      health: {
        services: Array<{ name: string; status: string; instances: Array<{ url: string }> }>;
      };
    }>(
      embedded.url,
      '{ health { services { name status instances { url } } } }',
      {},
      {
        headers: admin(),
      },
    );
    const gateway = answer.data?.health.services.find((service) => service.name === 'gateway');
    assert.equal(gateway?.status, 'OK', JSON.stringify(answer.data ?? answer.errors));
    assert.match(gateway?.instances[0]?.url ?? '', /^https:\/\/127\.0\.0\.1:\d+\/ready$/);
  });

  it('when anything is answered over HTTPS, then it carries Strict-Transport-Security for a year, without includeSubDomains', async () => {
    for (const [path, init] of [
      ['/', {}],
      ['/playground', {}],
      ['/health', {}],
      ['/download/no-such-file', {}],
      ['/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }],
    ] as const) {
      const response = await fetch(`${embedded.url}${path}`, init);
      await response.arrayBuffer();
      assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000', path);
    }
  });

  it('when someone signs in over HTTPS, then the session cookie is Secure and HttpOnly', async () => {
    const response = await fetch(`${embedded.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: signInQuery,
    });
    assert.equal(response.status, 200, await response.clone().text());
    const cookie = response.headers.getSetCookie().find((c) => /^fg_session=[^;]+/.test(c));
    assert.ok(cookie, `no session cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
    const attributes = cookie.split(';').map((part) => part.trim().toLowerCase());
    assert.ok(attributes.includes('secure'), cookie);
    assert.ok(attributes.includes('httponly'), cookie);
  });

  it('when a browser asks the redirect port, then it is sent to the same host, path and query over HTTPS with 308', async () => {
    const httpsPort = new URL(embedded.url).port;
    for (const [host, expected] of [
      [`localhost:${redirectPort}`, `https://localhost:${httpsPort}/playground?tab=1`],
      [`127.0.0.1:${redirectPort}`, `https://127.0.0.1:${httpsPort}/playground?tab=1`],
      // A name in PUBLIC_ORIGINS goes to the port that origin names (443 when none).
      ['files.example.com', 'https://files.example.com/playground?tab=1'],
      ['FILES.example.com:80', 'https://files.example.com/playground?tab=1'],
    ] as const) {
      const answer = await hostRequest(`http://127.0.0.1:${redirectPort}/playground?tab=1`, {
        host,
      });
      assert.equal(answer.status, 308);
      assert.equal(answer.headers.location, expected);
      assert.equal(answer.body, '');
    }
  });

  it('when the UI, the API or a sign-in is asked of the redirect port, then nothing is served, only the redirect', async () => {
    const base = `http://127.0.0.1:${redirectPort}`;
    const host = `localhost:${redirectPort}`;
    for (const answer of [
      await hostRequest(`${base}/`, { host }),
      await hostRequest(`${base}/health`, { host }),
      await hostRequest(`${base}/graphql`, { host, method: 'POST', body: signInQuery }),
    ]) {
      assert.equal(answer.status, 308);
      assert.equal(answer.body, '');
      assert.equal(answer.headers['set-cookie'], undefined);
      assert.equal(answer.headers['strict-transport-security'], undefined);
    }
  });

  it('when plain HTTP is sent to the HTTPS port, then the connection fails and no data is served', async () => {
    const http = embedded.url.replace(/^https:/, 'http:');
    await assert.rejects(hostRequest(`${http}/graphql`, { method: 'POST', body: signInQuery }));
    await assert.rejects(hostRequest(`${http}/`));
  });
});

describe('HTTPS settings that do not fit', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let pair: { cert: string; key: string };
  let other: { cert: string; key: string };

  before(async () => {
    dir = await tempDir('https-settings');
    [pair, other] = await Promise.all([
      selfSigned(dir.path, 'localhost'),
      selfSigned(dir.path, 'other'),
    ]);
  });
  after(() => dir?.remove());

  for (const [what, env, message] of [
    ['only TLS_CERT is set', () => ({ TLS_CERT: pair.cert }), /TLS_CERT and TLS_KEY go together/],
    ['only TLS_KEY is set', () => ({ TLS_KEY: pair.key }), /TLS_CERT and TLS_KEY go together/],
    [
      'TLS_KEY is the key of another certificate',
      () => ({ TLS_CERT: pair.cert, TLS_KEY: other.key }),
      /TLS_KEY: .*other\.key is not the private key of the certificate in TLS_CERT/,
    ],
    [
      'TLS_CERT cannot be read',
      () => ({ TLS_CERT: join(dir.path, 'missing.crt'), TLS_KEY: pair.key }),
      /TLS_CERT: cannot read .*missing\.crt/,
    ],
    [
      'TLS_CERT is a key',
      () => ({ TLS_CERT: pair.key, TLS_KEY: pair.key }),
      /TLS_CERT: .*localhost\.key holds no PEM certificate/,
    ],
    [
      'HTTP_REDIRECT_PORT is set without TLS',
      () => ({ HTTP_REDIRECT_PORT: '8080' }),
      /HTTP_REDIRECT_PORT redirects to HTTPS, which needs TLS_CERT and TLS_KEY/,
    ],
  ] as const) {
    it(`when ${what}, then the platform does not start and says why`, async () => {
      await assert.rejects(
        startService('embedded', { DATA_DIR: join(dir.path, 'data'), ...env() }),
        (error: Error) => {
          assert.match(error.message, /exited \(1\) before it was ready/);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
