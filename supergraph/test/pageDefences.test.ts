import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hostRequest, type HostAnswer } from '@filegraph/testing/hostRequest';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

/** A request to `base` that says it is for `host` (see hostRequest). */
const send = (base: string, path: string, options: Parameters<typeof hostRequest>[1] = {}) =>
  hostRequest(new URL(path, base), options);

// What anyone may ask, signed in or not.
const query = JSON.stringify({ query: '{ me { id } }' });

/** The headers every page of ours (and what it loads) must carry, whichever policy it has. */
function assertPageHeaders(answer: HostAnswer, what: string): string {
  const policy = String(answer.headers['content-security-policy'] ?? '');
  assert.match(policy, /(^|; )default-src 'none'(;|$)/, `${what}: ${policy}`);
  assert.match(policy, /(^|; )frame-ancestors 'none'(;|$)/, `${what}: ${policy}`);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/, `${what}: ${policy}`);
  assert.equal(answer.headers['x-frame-options'], 'DENY', what);
  assert.equal(answer.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(answer.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(answer.headers['cross-origin-opener-policy'], 'same-origin', what);
  return policy;
}

async function fakeBuild(folder: string): Promise<void> {
  await mkdir(join(folder, 'assets'), { recursive: true });
  await writeFile(
    join(folder, 'index.html'),
    '<!doctype html><title>filegraph</title><script type="module" src="/assets/app-1a2b3c.js"></script>',
  );
  await writeFile(join(folder, 'assets', 'app-1a2b3c.js'), 'document.title = "ready";');
}

describe('the gateway’s pages defend themselves', { timeout: 60_000 }, () => {
  let data: Awaited<ReturnType<typeof tempDir>>;
  let embedded: RunningService;

  before(async () => {
    data = await tempDir('defences');
    await fakeBuild(join(data.path, 'ui'));
    embedded = await startService('embedded', {
      DATA_DIR: join(data.path, 'data'),
      FRONTEND_DIR: join(data.path, 'ui'),
      PUBLIC_ORIGINS: 'https://files.example.com',
    });
  });
  after(async () => {
    await embedded?.stop();
    await data?.remove();
  });

  it('when the UI’s page or one of its assets is fetched, then it comes with a strict policy and may not be framed', async () => {
    for (const path of ['/', '/some/page', '/assets/app-1a2b3c.js']) {
      const answer = await send(embedded.url, path);
      assert.equal(answer.status, 200, path);
      const policy = assertPageHeaders(answer, path);
      assert.match(policy, /(^|; )script-src 'self'(;|$)/, policy);
      assert.match(policy, /(^|; )style-src 'self'(;|$)/, policy);
      // The previews: images, video and audio, a PDF in a frame, text fetched, all from /download.
      for (const directive of ['img-src', 'media-src', 'frame-src', 'connect-src'])
        assert.match(policy, new RegExp(`(^|; )${directive} 'self'(;|$)`), policy);
    }
  });

  it('when the playground is opened, then its inline script and style carry a nonce that is new each time', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const answer = await send(embedded.url, '/playground/');
      assert.equal(answer.status, 200);
      const policy = assertPageHeaders(answer, '/playground/');
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{22,})'/.exec(policy)?.[1] ?? '';
      assert.ok(nonce, policy);
      assert.match(
        policy,
        new RegExp(`style-src 'self' 'nonce-${nonce.replace(/[+/]/g, '\\$&')}'`),
      );
      assert.equal(answer.headers['cache-control'], 'no-store');
      const inline = [...answer.body.matchAll(/<(script|style)\b(?![^>]*\bsrc=)([^>]*)>/g)];
      assert.ok(inline.length >= 2, 'Altair’s inline init script and style');
      for (const [tag] of inline) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
      nonces.add(nonce);
    }
    assert.equal(nonces.size, 2);
    assertPageHeaders(await send(embedded.url, '/playground/main.js'), '/playground/main.js');
  });

  it('when Altair’s pre-request script sandbox is fetched, then only the playground may frame it', async () => {
    const answer = await send(embedded.url, '/playground/iframe-sandbox/index.html');
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-security-policy']), /frame-ancestors 'self'/);
    assert.equal(answer.headers['x-frame-options'], 'SAMEORIGIN');
  });

  it('when a request names a foreign host, then the UI, the API and downloads refuse it with 421 naming the setting, while probes still answer', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['POST', '/graphql'],
      ['GET', '/download/x'],
      ['GET', '/playground/'],
    ] as const) {
      const answer = await send(embedded.url, path, {
        host: 'evil.example',
        method,
        ...(method === 'POST' ? { body: query } : {}),
      });
      assert.equal(answer.status, 421, `${method} ${path}`);
      assert.match(answer.body, /evil\.example.*PUBLIC_ORIGINS/, answer.body);
    }
    // Orchestrators, Consul and Prometheus ask by IP address or container name.
    for (const path of ['/health', '/ready', '/metrics']) {
      for (const host of ['evil.example', 'gateway:4000', '10.0.3.7:4000'])
        assert.equal((await send(embedded.url, path, { host })).status, 200, `${host} ${path}`);
    }
  });

  it('when the host is one of PUBLIC_ORIGINS or a localhost name, then it is answered', async () => {
    for (const host of ['files.example.com', 'localhost:4000', 'files.localhost', '[::1]:4000']) {
      const page = await send(embedded.url, '/', { host });
      assert.equal(page.status, 200, host);
      const api = await send(embedded.url, '/graphql', { host, method: 'POST', body: query });
      assert.equal(api.status, 200, host);
      assert.match(api.body, /"me":null/);
    }
    assert.equal((await send(embedded.url, '/', { host: 'other.example.com' })).status, 421);
  });
});

describe(
  'the gateway’s headers on a UI served by the frontend container',
  { timeout: 60_000 },
  () => {
    let data: Awaited<ReturnType<typeof tempDir>>;
    let frontend: Server;
    let embedded: RunningService;

    before(async () => {
      data = await tempDir('defences-proxy');
      // A frontend that sends weaker headers of its own: the gateway's must win.
      frontend = createServer((req, res) => {
        res.setHeader('content-security-policy', 'default-src *');
        res.setHeader('x-frame-options', 'ALLOWALL');
        res.setHeader('content-type', req.url?.endsWith('.js') ? 'text/javascript' : 'text/html');
        res.end(req.url?.endsWith('.js') ? '' : '<!doctype html><title>filegraph</title>');
      });
      await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
      const { port } = frontend.address() as { port: number };
      embedded = await startService('embedded', {
        DATA_DIR: data.path,
        FRONTEND_URL: `http://127.0.0.1:${port}`,
      });
    });
    after(async () => {
      await embedded?.stop();
      frontend?.close();
      await data?.remove();
    });

    it('when the UI is proxied from FRONTEND_URL, then the gateway’s policy replaces the frontend’s', async () => {
      for (const path of ['/', '/assets/app-1a2b3c.js']) {
        const answer = await send(embedded.url, path);
        assert.equal(answer.status, 200, path);
        assertPageHeaders(answer, path);
      }
      assert.equal((await send(embedded.url, '/', { host: 'evil.example' })).status, 421);
    });
  },
);
