import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type Page, type TestBrowser } from '@filegraph/testing/browser';
import { selfSigned } from '@filegraph/processes/tls';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { recordCspViolations, type CspViolation } from './cspViolations.ts';
import { seedFiles } from './fixtures.ts';
import { signInThroughPage } from './signIn.ts';

/**
 * The web UI over HTTPS (TLS_CERT and TLS_KEY at the gateway, a certificate
 * made for the test): a person signs in and sees their files, and the
 * session cookie is one no script of the page can read and no plain-HTTP
 * request carries.
 */

let data: Awaited<ReturnType<typeof tempDir>>;
let service: RunningService;
let browser: TestBrowser;
let page: Page;
let violations: CspViolation[];

describe('web UI over HTTPS in Chromium', { timeout: 120_000 }, () => {
  before(async () => {
    data = await tempDir('ui-https');
    const { cert, key } = await selfSigned(data.path, 'localhost');
    await seedFiles(join(data.path, 'data'), { 'over-https.txt': 'sent encrypted\n' });
    service = await startService('embedded', {
      DATA_DIR: join(data.path, 'data'),
      TLS_CERT: cert,
      TLS_KEY: key,
    });
    browser = await launchBrowser({ allowedOrigins: [service.url] });
    violations = await recordCspViolations(browser);
    page = await browser.newPage();
    // The browser is told to accept the test's own certificate, as Playwright's ignoreHTTPSErrors does.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Security.setIgnoreCertificateErrors', { ignore: true });
  });

  after(async () => {
    await browser?.close();
    await service?.stop();
    await data?.remove();
  });

  it('when a person signs in over HTTPS, then their files are listed', async () => {
    assert.match(service.url, /^https:\/\//);
    await signInThroughPage(page, { url: `${service.url}/` });
    await page.getByRole('button', { name: 'over-https.txt', exact: true }).waitFor();
    assert.equal(new URL(page.url()).protocol, 'https:');
    assert.deepEqual(violations, []);
    assert.deepEqual(browser.foreignRequests, []);
  });

  it('when signed in over HTTPS, then the session cookie is Secure and HttpOnly, out of reach of the page', async () => {
    const cookies = await browser.context.cookies(service.url);
    const session = cookies.find((cookie) => cookie.name === 'fg_session');
    assert.ok(session, `no session cookie among ${cookies.map((c) => c.name).join(', ')}`);
    assert.equal(session.secure, true, 'the session cookie is not Secure');
    assert.equal(session.httpOnly, true, 'the session cookie is not HttpOnly');
    assert.equal(session.sameSite, 'Lax');
    const visible = await page.evaluate(() => document.cookie);
    assert.doesNotMatch(visible, /fg_session/);
    assert.deepEqual(browser.pageErrors, []);
  });
});
