import assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testAdmin, testAdminEnv, tokenHeaders } from '@filegraph/testing/accounts';
import {
  launchBrowser,
  type CDPSession,
  type Page,
  type Route,
  type TestBrowser,
} from '@filegraph/testing/browser';
import { eventually } from '@filegraph/testing/eventually';
import { FilesClient } from '@filegraph/testing/filesClient';
import { root } from '@filegraph/processes/root';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import type { Health } from '../../src/graphql/types.ts';
import { recordCspViolations, type CspViolation } from './cspViolations.ts';
import { pdf, png, seedFiles, wav } from './fixtures.ts';
import { signInThroughPage } from './signIn.ts';

/**
 * The web UI in real headless Chromium against the real embedded default
 * (gateway, files, accounts and health as one process, files on disk), driven
 * the way a person would: click, type, drop, press keys. The first tests sign
 * in through the sign-in page as the test admin; the session cookie then serves
 * every page of the browser. Every request to another origin is blocked and
 * must never happen.
 */

const screenshots = join(root, 'test-results', 'screenshots');
const limit = 5_000_000;

let data: Awaited<ReturnType<typeof tempDir>>;
let service: RunningService;
let browser: TestBrowser;
let page: Page;
let violations: CspViolation[];
/** The files API from Node, as the test admin (with an API token), to set the scene. */
let api: FilesClient;
let adminHeaders: () => Record<string, string>;
/** A page of another origin (another port) that puts the UI and the playground in frames. */
let framer: { server: Server; url: string };

const shot = (name: string, target: Page = page) =>
  target.screenshot({ path: join(screenshots, `${name}.png`) });

const fileRow = (name: string, target: Page = page) =>
  target.locator('.file-row').filter({ has: target.getByRole('button', { name, exact: true }) });

/** The newest notice saying `text`: an earlier one (a delete's shows for 10 s) may still be there. */
const notice = (text: string, target: Page = page) =>
  target.locator('.toast', { hasText: text }).last();

const uploadRow = (name: string) => page.locator(`.upload-row[data-name="${name}"]`);

const accountButton = (target: Page = page) => target.getByRole('button', { name: /^Account: / });

/** A GraphQL request from Node, as a script would send it. */
async function graphqlFromNode(
  query: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { data?: unknown; errors?: Array<{ extensions?: unknown }> } }> {
  const response = await fetch(`${service.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** What the page itself gets from /graphql, with its cookie (or none). */
const graphqlFromPage = (target: Page, query: string) =>
  target.evaluate(async (query) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, text: await response.text() };
  }, query);

const trashRow = (name: string) =>
  page.locator('.trash-row').filter({ has: page.locator('.trash-name', { hasText: name }) });

/** Multipart POSTs (uploads) the page sends to /graphql while `action` runs and its uploads finish. */
async function uploadRequests(action: () => Promise<void>): Promise<number> {
  let count = 0;
  const listener = (request: {
    method(): string;
    url(): string;
    headers(): Record<string, string>;
  }) => {
    if (
      request.method() === 'POST' &&
      new URL(request.url()).pathname === '/graphql' &&
      (request.headers()['content-type'] ?? '').startsWith('multipart/form-data')
    )
      count += 1;
  };
  page.on('request', listener);
  try {
    await action();
  } finally {
    page.off('request', listener);
  }
  return count;
}

async function throttleUploads(target: Page, bytesPerSecond: number): Promise<CDPSession> {
  const cdp = await target.context().newCDPSession(target);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return cdp;
}

async function unthrottle(cdp: CDPSession): Promise<void> {
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await cdp.detach();
}

/** Records every value each upload's progress bar takes, to check it moved through to 100. */
async function recordProgress(target: Page): Promise<void> {
  await target.evaluate(() => {
    const seen: Record<string, number[]> = {};
    Object.assign(window, { uploadProgress: seen });
    const look = () => {
      for (const row of document.querySelectorAll('.upload-row')) {
        const name = row.getAttribute('data-name') ?? '';
        const value = Number(
          row.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow'),
        );
        const values = (seen[name] ??= []);
        if (values.at(-1) !== value) values.push(value);
      }
    };
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow'],
    });
  });
}

const progressOf = (target: Page) =>
  target.evaluate(
    () => (window as unknown as { uploadProgress: Record<string, number[]> }).uploadProgress,
  );

/** Serves, on another port of 127.0.0.1 (so another origin), a page framing the UI and the playground. */
async function startFramer(gateway: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) =>
    res
      .setHeader('content-type', 'text/html')
      .end(
        `<!doctype html><title>another site</title>` +
          `<iframe name="ui" src="${gateway}/"></iframe>` +
          `<iframe name="playground" src="${gateway}/playground/"></iframe>`,
      ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}

/** A short WebM video, recorded in the page from a canvas (no video file in the repository). */
async function recordWebm(target: Page): Promise<Buffer> {
  const base64 = await target.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext('2d');
    const recorder = new MediaRecorder(canvas.captureStream(10), { mimeType: 'video/webm' });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    for (let frame = 0; frame < 8; frame++) {
      if (context) context.fillStyle = `hsl(${frame * 45} 80% 50%)`;
      context?.fillRect(0, 0, 64, 48);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
  });
  return Buffer.from(base64, 'base64');
}

describe('web UI in Chromium', { timeout: 240_000 }, () => {
  before(async () => {
    await mkdir(screenshots, { recursive: true });
    data = await tempDir('ui');
    await seedFiles(data.path, {
      'readme.md': '# filegraph\n\nFiles with one GraphQL API.\n',
      'café ünïcode.txt': 'Grüße, 世界\n',
      'photos/red.png': png(320, 200, [200, 40, 40]),
      'sunset.png': png(120, 80, [230, 120, 40]),
      'photos/blue.png': png(200, 200, [40, 80, 200]),
      'docs/report.txt': 'quarterly numbers\n'.repeat(50),
    });
    service = await startService('embedded', {
      DATA_DIR: data.path,
      MAX_FILE_SIZE: String(limit),
      ...testAdminEnv,
    });
    adminHeaders = await tokenHeaders(service.url);
    api = new FilesClient(service.url, { headers: adminHeaders });
    framer = await startFramer(service.url);
    browser = await launchBrowser({ allowedOrigins: [service.url, framer.url] });
    violations = await recordCspViolations(browser);
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    framer?.server.close();
    await service?.stop();
    await data?.remove();
  });

  it('when nobody is signed in, then the sign-in page shows with the focus on its first field, and no file', async () => {
    await page.goto(`${service.url}/#/docs/`);
    const form = page.getByRole('form', { name: 'Sign in' });
    const email = form.getByRole('textbox', { name: 'Email' });
    await email.waitFor();
    assert.equal(await email.evaluate((element) => element === document.activeElement), true);
    await shot('sign-in');
    const text = await page.locator('body').innerText();
    for (const name of ['readme.md', 'report.txt', 'photos', 'sunset.png'])
      assert.ok(!text.includes(name), `${name} shows before signing in`);
    assert.equal(await page.locator('.file-row, .folder-row').count(), 0);
    const answer = await graphqlFromPage(page, '{ files { nodes { name } } }');
    assert.match(answer.text, /"code":"UNAUTHENTICATED"/);
    assert.doesNotMatch(answer.text, /readme/);
  });

  it('when the password is wrong, then the page says so and stays', async () => {
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByRole('textbox', { name: 'Email' }).fill(testAdmin.email);
    await form.getByLabel('Password', { exact: true }).fill('not the password at all');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await form.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
    assert.equal(await form.getByRole('button', { name: 'Sign in' }).isEnabled(), true);
    assert.equal(await page.locator('.file-row').count(), 0);
    await shot('sign-in-refused');
  });

  it('when the right password is given, then the folder asked for is listed and the account menu says who is signed in', async () => {
    await signInThroughPage(page);
    await fileRow('report.txt').waitFor();
    assert.equal(new URL(page.url()).hash, '#/docs/');
    await accountButton().click();
    const menu = page.locator('.account-menu .menu');
    await menu.getByText(testAdmin.email).waitFor();
    assert.match((await page.getByTestId('account-role').textContent()) ?? '', /Admin/);
    assert.ok(await menu.getByRole('link', { name: 'Users' }).isVisible(), 'admins see Users');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
  });

  it('when the page opens, then folders and files are listed with their count', async () => {
    const started = Date.now();
    await page.goto(`${service.url}/`);
    await page.getByRole('button', { name: 'readme.md', exact: true }).waitFor();
    const firstRows = Date.now() - started;
    assert.equal(await page.getByTestId('count').textContent(), '2 folders · 3 files');
    assert.equal(await page.locator('.folder-row').count(), 2);
    assert.ok(await fileRow('café ünïcode.txt').isVisible(), 'a Unicode name shows as it is');
    assert.match((await fileRow('readme.md').textContent()) ?? '', /4\d B/);
    assert.ok(firstRows < 10_000, `first rows after ${firstRows} ms`);
  });

  it('when a token is made, then its secret shows once, works for a script, and stops working once revoked', async () => {
    await accountButton().click();
    await page.getByRole('link', { name: 'API tokens' }).click();
    const form = page.getByRole('form', { name: 'New API token' });
    const name = form.getByRole('textbox', { name: 'Name' });
    await name.waitFor();
    assert.equal(await name.evaluate((element) => element === document.activeElement), true);
    await name.fill('browser test');
    await form.getByRole('spinbutton', { name: 'Expires in days (optional)' }).fill('2');
    await form.getByRole('button', { name: 'Create token' }).click();
    const field = page.getByTestId('token-secret');
    await field.waitFor();
    const secret = await field.inputValue();
    assert.match(secret, /^fg_/);
    await page.getByText('This is the only time the secret is shown').waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    await shot('token-created');
    const bearer = { authorization: `Bearer ${secret}` };
    const me = await graphqlFromNode('{ me { email } }', bearer);
    assert.deepEqual(me.body.data, { me: { email: testAdmin.email } });

    await page.getByRole('button', { name: 'I have copied it' }).click();
    await field.waitFor({ state: 'detached' });
    await page.reload();
    const row = page.locator('.token-row', { hasText: 'browser test' });
    await row.waitFor();
    assert.ok(!(await page.content()).includes(secret), 'the secret is not shown again');

    await row.getByRole('button', { name: 'Revoke browser test' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke browser test?' });
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    // The gateway remembers a token's owner for a few seconds (CallerLookup's cache).
    await eventually(
      'the revoked token is refused',
      async () =>
        (await graphqlFromNode('{ me { email } }', bearer)).status === 401 ? true : undefined,
      10_000,
    );
    await page.getByRole('link', { name: 'filegraph, all files' }).click();
    await fileRow('readme.md').waitFor();
  });

  it('when a share link is made for a file, then its address downloads the file without an account, until it is revoked', async () => {
    await fileRow('readme.md').hover();
    await fileRow('readme.md').getByRole('button', { name: 'Share readme.md' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share readme.md' });
    const hours = dialog.getByRole('spinbutton', { name: 'Expires in hours (optional)' });
    await hours.waitFor();
    assert.equal(await hours.evaluate((element) => element === document.activeElement), true);
    await hours.fill('1');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const field = dialog.getByTestId('share-address');
    await field.waitFor();
    const address = await field.inputValue();
    assert.ok(address.startsWith(`${service.url}/s/`), address);
    await shot('share-created');
    // From Node, with no cookie and no token: the link is all it takes.
    const shared = await fetch(address);
    assert.equal(shared.status, 200);
    assert.equal(await shared.text(), '# filegraph\n\nFiles with one GraphQL API.\n');
    // And from the page, as a browser follows it.
    const fromPage = await page.evaluate(async (url) => {
      const response = await fetch(url, { headers: { accept: 'application/octet-stream' } });
      return { status: response.status, text: await response.text() };
    }, address);
    assert.deepEqual(fromPage, {
      status: 200,
      text: '# filegraph\n\nFiles with one GraphQL API.\n',
    });

    const withPassword = (answer: 'Yes' | 'No') =>
      dialog
        .locator('.share-row')
        .filter({ has: page.locator('td:nth-child(3)', { hasText: new RegExp(`^${answer}$`) }) });
    await withPassword('No').waitFor();
    await dialog.getByLabel('Password (optional)').fill('open sesame');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await withPassword('Yes').waitFor();
    const guarded = await dialog.getByTestId('share-address').inputValue();
    assert.notEqual(guarded, address);
    assert.notEqual((await fetch(guarded)).status, 200, 'no password, no file');
    const opened = await fetch(guarded, { headers: { 'x-share-password': 'open sesame' } });
    assert.equal(opened.status, 200);
    await opened.arrayBuffer();

    const first = withPassword('No');
    await first.getByRole('button', { name: /^Revoke/ }).click();
    await first.waitFor({ state: 'detached' });
    assert.notEqual((await fetch(address)).status, 200, 'a revoked link opens nothing');
    await dialog.getByRole('button', { name: 'Close the dialog' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('when an admin makes a user, then the user is listed and their role can be changed', async () => {
    await accountButton().click();
    await page.getByRole('link', { name: 'Users' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByRole('textbox', { name: 'Email' }).fill('member@filegraph.test');
    await form.getByLabel('Password', { exact: true }).fill('a member password');
    await form.getByRole('textbox', { name: 'Name (optional)' }).fill('Mia Member');
    await form.getByRole('button', { name: 'Create user' }).click();
    const row = page.locator('.user-row', { hasText: 'member@filegraph.test' });
    await row.waitFor();
    await page.getByTestId('users-count').filter({ hasText: '2 users' }).waitFor();
    await row.getByRole('combobox', { name: 'Role of Mia Member' }).selectOption('ADMIN');
    await page.getByText('Mia Member is an admin now.').waitFor();
    await row.getByRole('button', { name: 'Disable Mia Member' }).click();
    await row.getByRole('button', { name: 'Enable Mia Member' }).waitFor();
    // The last admin stays one: the refusal is a notice, and the row keeps its role.
    const me = page.locator('.user-row', { hasText: testAdmin.email });
    await me.getByRole('combobox').selectOption('MEMBER');
    await page.locator('.toast.tone-error', { hasText: /last active admin/ }).waitFor();
    await shot('users');
    await page.goto(`${service.url}/`);
    await fileRow('readme.md').waitFor();
  });

  it('when an admin opens Usage, then bars show storage by type and by owner, and the report links download the XLSX and CSV', async () => {
    await accountButton().click();
    await page.getByRole('link', { name: 'Usage' }).click();
    const typeBars = page.getByTestId('usage-type-bar');
    await typeBars.first().waitFor();
    // The seeded files: two text files, a Markdown file and three PNGs, all the admin's.
    const said = await typeBars.evaluateAll((bars) =>
      bars.map((bar) => bar.getAttribute('aria-label')),
    );
    assert.ok(
      said.some((label) => /^image\/png: .* in 3 files, \d+%$/.test(label ?? '')),
      `bars: ${JSON.stringify(said)}`,
    );
    const owners = await page
      .getByTestId('usage-owner-bar')
      .evaluateAll((bars) => bars.map((bar) => bar.getAttribute('aria-label')));
    assert.deepEqual(
      owners.map((label) => label?.split(':')[0]),
      [testAdmin.email],
    );
    await page
      .getByTestId('usage-total')
      .filter({ hasText: /in 6 files/ })
      .waitFor();
    await shot('usage');
    // The README's Operations picture, refreshed on request only, like the file list's.
    if (process.env.UPDATE_SCREENSHOT) {
      await mkdir(join(root, 'docs', 'images'), { recursive: true });
      await copyFile(join(screenshots, 'usage.png'), join(root, 'docs', 'images', 'usage.png'));
    }
    // The links download with the page's session, as a person clicking them would.
    const answers = await page.evaluate(async () =>
      Promise.all(
        [...document.querySelectorAll<HTMLAnchorElement>('.usage-links a')].map(async (link) => {
          const response = await fetch(link.href);
          const bytes = new Uint8Array(await response.arrayBuffer());
          return {
            href: link.getAttribute('href'),
            status: response.status,
            type: response.headers.get('content-type'),
            start: String.fromCharCode(...bytes.slice(0, 2)),
          };
        }),
      ),
    );
    assert.deepEqual(
      answers.map((answer) => [answer.href, answer.status]),
      [
        ['/reports/usage.xlsx', 200],
        ['/reports/usage.csv', 200],
        ['/reports/usage.csv?part=totals', 200],
      ],
    );
    assert.equal(answers[0]?.start, 'PK', 'an XLSX is a zip');
    assert.match(answers[1]?.type ?? '', /^text\/csv/);
    await page.goto(`${service.url}/`);
    await fileRow('readme.md').waitFor();
  });

  it('when two files are picked and two dropped, then each shows progress up to 100% and all are listed', async () => {
    await recordProgress(page);
    const cdp = await throttleUploads(page, 1_500_000);
    await page.getByTestId('file-input').setInputFiles([
      { name: 'alpha.txt', mimeType: 'text/plain', buffer: Buffer.from('alpha '.repeat(40_000)) },
      {
        name: 'beta.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.alloc(3_000_000, 7),
      },
    ]);
    await page.waitForFunction(() => {
      const bar = document.querySelector('.upload-row[data-name="beta.bin"] [role=progressbar]');
      const value = Number(bar?.getAttribute('aria-valuenow'));
      return value > 30 && value < 90;
    });
    await shot('upload-progress');
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(
        new File(['dropped on the page'], 'dropped-1.txt', { type: 'text/plain' }),
      );
      transfer.items.add(new File([new Uint8Array(20_000)], 'dropped 2 ünï.bin'));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(
          new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }),
        );
      }
    });
    for (const name of ['alpha.txt', 'beta.bin', 'dropped-1.txt', 'dropped 2 ünï.bin']) {
      await uploadRow(name)
        .locator('.upload-status', { hasText: 'Uploaded' })
        .waitFor({ timeout: 30_000 });
      assert.equal(
        await uploadRow(name).getByRole('progressbar').getAttribute('aria-valuenow'),
        '100',
      );
    }
    await unthrottle(cdp);
    const progress = await progressOf(page);
    const beta = progress['beta.bin'] ?? [];
    assert.ok(
      beta.some((value) => value > 0 && value < 100),
      `beta.bin went ${beta.join(' → ')}`,
    );
    assert.equal(beta.at(-1), 100);
    assert.equal(
      await page.getByRole('progressbar', { name: 'All uploads' }).getAttribute('aria-valuenow'),
      '100',
    );
    for (const name of ['alpha.txt', 'beta.bin', 'dropped-1.txt', 'dropped 2 ünï.bin']) {
      await fileRow(name).waitFor();
    }
    await page.getByTestId('count').filter({ hasText: '2 folders · 7 files' }).waitFor();
  });

  it('when a column is clicked, then the list is sorted by it, folders first', async () => {
    await page.getByRole('button', { name: 'Size', exact: true }).click();
    await page.locator('#row-2 .name-button', { hasText: 'beta.bin' }).waitFor();
    assert.equal(await page.locator('#row-0.folder-row').count(), 1);
    assert.equal(
      await page.getByRole('columnheader', { name: 'Size' }).getAttribute('aria-sort'),
      'descending',
    );
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await page.locator('#row-2 .name-button', { hasText: 'alpha.txt' }).waitFor();
  });

  it('when a search is typed, then the list narrows to the matches and says how many', async () => {
    await page.getByRole('searchbox', { name: 'Search files by name' }).fill('DROPPED');
    await page.getByTestId('count').filter({ hasText: '2 matches for “DROPPED”' }).waitFor();
    assert.equal(await page.locator('.rows .file-row').count(), 2);
    assert.equal(await page.locator('.rows .folder-row').count(), 0);
    await shot('search');
    await page.getByRole('searchbox').fill('no such file');
    await page.getByRole('heading', { name: 'No files match “no such file”' }).waitFor();
    await page.getByRole('button', { name: 'Clear the search' }).first().click();
    await page.getByTestId('count').filter({ hasText: '2 folders · 7 files' }).waitFor();
  });

  it('when a file is renamed inline, then it shows under its new name', async () => {
    await fileRow('alpha.txt').hover();
    await fileRow('alpha.txt').getByRole('button', { name: 'Rename alpha.txt' }).click();
    const field = page.getByRole('textbox', { name: 'New name for alpha.txt' });
    await field.fill('alpha renamed ✓.txt');
    await field.press('Enter');
    await fileRow('alpha renamed ✓.txt').waitFor();
    assert.equal(await fileRow('alpha.txt').count(), 0);
  });

  it('when a new name has a "/", then the file moves into that folder', async () => {
    await page.getByRole('button', { name: 'Close the upload list' }).click();
    await fileRow('dropped 2 ünï.bin').hover();
    await fileRow('dropped 2 ünï.bin')
      .getByRole('button', { name: 'Rename dropped 2 ünï.bin' })
      .click();
    const field = page.getByRole('textbox', { name: 'New name for dropped 2 ünï.bin' });
    await field.fill('moved/inside.bin');
    await field.press('Enter');
    await page.getByText('Moved dropped 2 ünï.bin to moved/.').waitFor();
    await fileRow('dropped 2 ünï.bin').waitFor({ state: 'detached' });
    await page.locator('.folder-row').getByRole('button', { name: 'moved', exact: true }).click();
    await fileRow('inside.bin').waitFor();
    await page.getByRole('link', { name: 'All files', exact: true }).click();
    await fileRow('readme.md').waitFor();
  });

  it('when a file’s content is replaced, then it keeps its name and shows the new size', async () => {
    const row = fileRow('alpha renamed ✓.txt');
    await row.hover();
    const chooser = page.waitForEvent('filechooser');
    await row.getByRole('button', { name: 'Replace the content of alpha renamed ✓.txt' }).click();
    await (
      await chooser
    ).setFiles([
      { name: 'whatever.txt', mimeType: 'text/plain', buffer: Buffer.from('new content') },
    ]);
    await uploadRow('alpha renamed ✓.txt')
      .locator('.upload-status', { hasText: 'Uploaded' })
      .waitFor();
    await row.locator('.cell-size', { hasText: '11 B' }).waitFor();
    await page.getByRole('button', { name: 'Close the upload list' }).click();
    const dismiss = page.getByRole('button', { name: 'Dismiss message' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await shot('list');
    // The README's picture, refreshed on request only, so a test run leaves the tree clean.
    if (process.env.UPDATE_SCREENSHOT)
      await copyFile(join(screenshots, 'list.png'), join(root, 'frontend', 'screenshot.png'));
  });

  it('when an image is opened, then the preview panel shows it with its details', async () => {
    await page.locator('.folder-row').getByRole('button', { name: 'photos', exact: true }).click();
    await page.getByRole('navigation', { name: 'Folder' }).getByText('photos').waitFor();
    await page.getByRole('button', { name: 'red.png', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'Preview of red.png' });
    const image = panel.getByRole('img', { name: 'red.png' });
    await image.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.preview-image');
      return Boolean(img?.complete && img.naturalWidth === 320);
    });
    assert.match((await panel.textContent()) ?? '', /image\/png/);
    await shot('preview');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'All files', exact: true }).click();
    await fileRow('readme.md').waitFor();
  });

  it('when a video, a sound and a PDF are opened, then each plays or shows in the preview panel', async () => {
    await api.put('clip.webm', await recordWebm(page), { prefix: 'media' });
    await api.put('tone.wav', wav(1), { prefix: 'media' });
    await api.put('manual.pdf', pdf('filegraph manual'), { prefix: 'media' });
    await page.goto(`${service.url}/#/media/`);

    await page.getByRole('button', { name: 'clip.webm', exact: true }).click();
    await page.waitForFunction(
      () => (document.querySelector<HTMLVideoElement>('.preview-media')?.videoWidth ?? 0) === 64,
    );
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'tone.wav', exact: true }).click();
    await page.waitForFunction(() => {
      const audio = document.querySelector<HTMLAudioElement>('.preview-audio');
      return audio !== null && Math.abs(audio.duration - 1) < 0.01;
    });
    await page.keyboard.press('Escape');

    const shown = page.waitForResponse(
      (response) =>
        response.url().includes('/download/') && response.request().resourceType() === 'document',
    );
    await page.getByRole('button', { name: 'manual.pdf', exact: true }).click();
    const response = await shown;
    assert.equal(response.headers()['content-type'], 'application/pdf');
    // Chromium shows a PDF with its viewer, a frame inside the preview's frame.
    const viewer = await eventually('Chromium’s PDF viewer in the preview frame', () =>
      page
        .frames()
        .find(
          (frame) =>
            frame.url().startsWith('chrome-extension://') &&
            frame.parentFrame()?.url() === response.url(),
        ),
    );
    await viewer.locator('pdf-viewer').waitFor();
    await shot('preview-pdf');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'All files', exact: true }).click();
    await fileRow('readme.md').waitFor();
  });

  it('when a file is deleted after confirming, then it is gone from the list', async () => {
    await fileRow('beta.bin').hover();
    await fileRow('beta.bin').getByRole('button', { name: 'Delete beta.bin' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete beta.bin?' });
    await dialog.waitFor();
    await dialog.getByText('It goes to the trash, where it can be restored.').waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await notice('Moved 1 file to the trash.').waitFor();
    await fileRow('beta.bin').waitFor({ state: 'detached' });
  });

  it('when two tabs delete the same file, then the second is told someone else already did', async () => {
    const other = await browser.context.newPage();
    await other.goto(`${service.url}/`);
    await fileRow('dropped-1.txt', other).getByRole('checkbox').check();
    await other.getByRole('button', { name: 'Delete', exact: true }).click();
    await other.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await notice('Moved 1 file to the trash.', other).waitFor();
    await other.close();

    await fileRow('dropped-1.txt').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('1 file had already been deleted elsewhere').waitFor();
    await fileRow('dropped-1.txt').waitFor({ state: 'detached' });
  });

  it('when odd files are uploaded together, then a taken name fails their batch, overwriting it and retrying the empty one stores both, and one over the limit is refused before sending', async () => {
    const sent: string[] = [];
    const listener = (request: { method(): string; postData(): string | null }) => {
      if (request.method() === 'POST') sent.push(request.postData() ?? '');
    };
    page.on('request', listener);
    await page.getByTestId('file-input').setInputFiles([
      { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
      { name: 'readme.md', mimeType: 'text/markdown', buffer: Buffer.from('# new readme\n') },
      { name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(limit + 1) },
    ]);
    await uploadRow('huge.bin')
      .getByText('Too large: 5.0 MB; the server accepts files up to 5.0 MB.')
      .waitFor();
    assert.equal(
      await uploadRow('huge.bin').getByRole('button', { name: 'Retry huge.bin' }).count(),
      0,
    );
    const taken = uploadRow('readme.md');
    await taken.locator('.upload-error').waitFor();
    assert.match((await taken.locator('.upload-error').textContent()) ?? '', /readme\.md/);
    // The empty file went in the same request, which the server keeps all or none of.
    const empty = uploadRow('empty.txt');
    assert.match(
      (await empty.locator('.upload-error').textContent()) ?? '',
      /readme\.md.*No file of this request was kept/,
    );
    await taken.getByRole('button', { name: 'Overwrite' }).click();
    await taken.locator('.upload-status', { hasText: 'Uploaded' }).waitFor();
    await empty.getByRole('button', { name: 'Retry empty.txt' }).click();
    await empty.locator('.upload-status', { hasText: 'Uploaded · 0 B' }).waitFor();
    page.off('request', listener);
    assert.ok(
      !sent.some((body) => body.includes('huge.bin')),
      'the file over the limit was never sent',
    );
    await fileRow('empty.txt').locator('.cell-size', { hasText: '0 B' }).waitFor();
    await page.getByRole('button', { name: 'Close the upload list' }).click();
  });

  it('when an upload is cancelled, then its request stops and the file is not stored', async () => {
    // The upload request is held in the browser until the test lets go, so the
    // cancel always comes while it is in flight (Chromium's upload throttling
    // sometimes let the whole body through before the click).
    const held: Route[] = [];
    await page.route('**/graphql', (route) =>
      route.request().headers()['content-type']?.startsWith('multipart/form-data')
        ? void held.push(route)
        : route.continue(),
    );
    await page.getByTestId('file-input').setInputFiles([
      {
        name: 'cancel-me.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.alloc(3_000_000, 2),
      },
    ]);
    const row = uploadRow('cancel-me.bin');
    await eventually('the upload request in flight', () => held.length > 0 || undefined);
    await row.getByRole('button', { name: 'Cancel uploading cancel-me.bin' }).click();
    await row.getByText('Cancelled.').waitFor();
    await page.unroute('**/graphql');
    for (const route of held) await route.abort().catch(() => {});
    await row.getByRole('button', { name: 'Retry cancel-me.bin' }).waitFor();
    const listed = await graphqlFromNode(
      '{ files(search: "cancel-me") { totalCount } }',
      adminHeaders(),
    );
    assert.deepEqual(listed.body, { data: { files: { totalCount: 0 } } });
    await row.getByRole('button', { name: 'Dismiss cancel-me.bin' }).click();
  });

  it('when a whole folder is picked, then its files land in the same folders here', async () => {
    const picked = join(data.path, 'picked', 'album');
    await mkdir(join(picked, 'day 1'), { recursive: true });
    await writeFile(join(picked, 'cover.txt'), 'cover');
    await writeFile(join(picked, 'day 1', 'ünï.txt'), 'first day');
    await page.getByTestId('folder-input').setInputFiles(picked);
    await uploadRow('album/day 1/ünï.txt')
      .locator('.upload-status', { hasText: 'Uploaded' })
      .waitFor();
    await uploadRow('album/cover.txt').locator('.upload-status', { hasText: 'Uploaded' }).waitFor();
    await page.locator('.folder-row').getByRole('button', { name: 'album', exact: true }).click();
    await page.locator('.folder-row').getByRole('button', { name: 'day 1', exact: true }).click();
    await fileRow('ünï.txt').waitFor();
    await page.getByRole('link', { name: 'All files', exact: true }).click();
    await page.getByRole('button', { name: 'Close the upload list' }).click();
  });

  it('when a file is deleted, then it waits in the trash with its folder, and restoring it puts it back there', async () => {
    await page.locator('.folder-row').getByRole('button', { name: 'photos', exact: true }).click();
    await fileRow('blue.png').hover();
    await fileRow('blue.png').getByRole('button', { name: 'Delete blue.png' }).click();
    await page
      .getByRole('dialog', { name: 'Delete blue.png?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await notice('Moved 1 file to the trash.').waitFor();
    await fileRow('blue.png').waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Trash', exact: true }).click();
    const row = trashRow('blue.png');
    await row.waitFor();
    assert.equal(await row.locator('.cell-folder').textContent(), 'photos/');
    assert.match((await row.locator('.cell-size').textContent()) ?? '', /\d B$/);
    assert.notEqual(await row.locator('.cell-date').textContent(), '—');
    assert.deepEqual(
      await page.locator('.trash-name').allTextContents(),
      ['blue.png', 'dropped-1.txt', 'beta.bin'],
      'the most recently deleted first',
    );
    await page.getByTestId('trash-count').filter({ hasText: '3 files in the trash' }).waitFor();
    await shot('trash');

    await row.getByRole('checkbox', { name: 'Select blue.png' }).check();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByText('Restored blue.png to photos/.').waitFor();
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('trash-count').filter({ hasText: '2 files in the trash' }).waitFor();
    await page.goBack();
    await page.getByRole('navigation', { name: 'Folder' }).getByText('photos').waitFor();
    await fileRow('blue.png').waitFor();
    await page.getByRole('link', { name: 'All files', exact: true }).click();
    await fileRow('readme.md').waitFor();
  });

  it('when a delete is undone from its notice, then the file is back at once', async () => {
    await fileRow('café ünïcode.txt').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await fileRow('café ünïcode.txt').waitFor({ state: 'detached' });
    await notice('Moved 1 file to the trash.').getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Restored 1 file.').waitFor();
    await fileRow('café ünïcode.txt').waitFor();
  });

  it('when a name is taken again, then restoring says so and keeps the file in the trash; emptying the trash after confirming purges all of it', async () => {
    await fileRow('sunset.png').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await fileRow('sunset.png').waitFor({ state: 'detached' });
    await api.put('sunset.png', png(40, 40, [20, 20, 20]));

    await page.getByRole('link', { name: 'Trash', exact: true }).click();
    await trashRow('sunset.png').getByRole('button', { name: 'Restore sunset.png' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: '"sunset.png" can\'t be restored: that name is taken again.' })
      .waitFor();
    assert.equal(await trashRow('sunset.png').count(), 1);

    await page.getByRole('button', { name: 'Empty the trash' }).click();
    const dialog = page.getByRole('dialog', { name: 'Empty the trash?' });
    await dialog.getByText('3 files will be deleted for good').waitFor();
    await dialog.getByRole('button', { name: 'Empty the trash' }).click();
    await page.getByRole('heading', { name: 'The trash is empty' }).waitFor();
    await page.getByText('Emptied the trash: 3 files deleted for good.').waitFor();
    const left = await api.trash();
    assert.equal(left.data?.trash.totalCount, 0);
    await page.getByRole('link', { name: 'Back to the files' }).click();
    await fileRow('readme.md').waitFor();
  });

  it('when 30 small files are dropped, then they go up in fewer requests than files and all are listed', async () => {
    await page.evaluate(() => (location.hash = '#/many/'));
    await page.getByRole('heading', { name: 'This folder is empty' }).waitFor();
    const names = Array.from(
      { length: 30 },
      (_, i) => `small-${String(i + 1).padStart(2, '0')}.txt`,
    );
    const requests = await uploadRequests(async () => {
      await page.evaluate((names) => {
        const transfer = new DataTransfer();
        names.forEach((name, i) =>
          transfer.items.add(
            new File([`small file ${i}\n`.repeat(i + 1)], name, { type: 'text/plain' }),
          ),
        );
        for (const type of ['dragenter', 'dragover', 'drop']) {
          document.body.dispatchEvent(
            new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }),
          );
        }
      }, names);
      for (const name of names) {
        await uploadRow(`many/${name}`)
          .locator('.upload-status', { hasText: 'Uploaded' })
          .waitFor();
      }
    });
    assert.ok(requests < names.length, `${requests} upload requests for ${names.length} files`);
    assert.equal(requests, 1, 'all 30 fit one batch (at most 50 files, 8 MiB)');
    await page
      .getByTestId('count')
      .filter({ hasText: /^30 files$/ })
      .waitFor();
    await page.getByRole('grid').focus();
    await page.keyboard.press('End');
    await fileRow('small-30.txt').waitFor();
    const stored = await api.all({ prefix: 'many/' });
    assert.deepEqual(
      stored.map((file) => file.name),
      names.map((name) => `many/${name}`),
    );
    await page.getByRole('button', { name: 'Close the upload list' }).click();
  });

  it('when a folder is given a name with a "/", then it moves there with all its files', async () => {
    await page.getByRole('link', { name: 'All files', exact: true }).click();
    const folder = page
      .locator('.folder-row')
      .filter({ has: page.getByRole('button', { name: 'many', exact: true }) });
    await folder.hover();
    await folder.getByRole('button', { name: 'Rename or move the folder many' }).click();
    const field = page.getByRole('textbox', { name: 'New name for the folder many' });
    await field.fill('archive/small files');
    await field.press('Enter');
    await page.getByText('Moved the folder many to archive/small files/ (30 files).').waitFor();
    await page
      .locator('.folder-row')
      .getByRole('button', { name: 'many', exact: true })
      .waitFor({ state: 'detached' });
    await page.locator('.folder-row').getByRole('button', { name: 'archive', exact: true }).click();
    await page
      .locator('.folder-row')
      .getByRole('button', { name: 'small files', exact: true })
      .click();
    await page
      .getByTestId('count')
      .filter({ hasText: /^30 files$/ })
      .waitFor();
    await page.getByRole('link', { name: 'All files', exact: true }).click();
    await fileRow('readme.md').waitFor();
  });

  it('when only the keyboard is used, then a file can be found, opened and closed', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'search');
    await page.keyboard.type('report');
    await page.getByTestId('count').filter({ hasText: '1 match for “report”' }).waitFor();
    await page.getByRole('grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('complementary', { name: 'Preview of report.txt' });
    await panel.getByText('quarterly numbers').first().waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await page.getByRole('searchbox').fill('');
    await page
      .getByTestId('count')
      .filter({ hasText: /folders/ })
      .waitFor();
  });

  it('when an admin opens the system panel, then it shows the overall status, every service and the details', async () => {
    await page.getByRole('button', { name: 'System', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'System status' });
    await panel.locator('.overall-status').waitFor();
    assert.match((await panel.locator('.overall-status').textContent()) ?? '', /OK/);
    const services = await panel.locator('.service-line strong').allTextContents();
    for (const name of ['files', 'accounts', 'health'])
      assert.ok(services.includes(name), `${name} in ${services.join(', ')}`);
    // Admins see what HEALTH_DETAILS shows everyone: the host, and where each instance was checked.
    await panel.getByRole('heading', { name: 'Host' }).waitFor();
    assert.ok((await panel.locator('.check-url').count()) >= 3);
    assert.equal(await panel.locator('.details-hidden').count(), 0);
    await shot('system');
    const checked = await panel.locator('.panel-body > p.muted').textContent();
    await page.waitForFunction(
      (before) =>
        document.querySelector('.system-panel .panel-body > p.muted')?.textContent !== before,
      checked,
      { timeout: 15_000 },
    );
    await panel.getByRole('button', { name: 'Close the system panel' }).click();
  });

  it('when the details are hidden (a member, without HEALTH_DETAILS), then instances show by position and the panel says how details show', async () => {
    // What a member gets, laid over the admin's answer.
    await page.route('**/graphql', async (route) => {
      if (!/query Health\b/.test(route.request().postData() ?? '')) return route.continue();
      const response = await route.fetch();
      const answer = (await response.json()) as { data: { health: Health } };
      const health = answer.data.health;
      await route.fulfill({
        response,
        json: {
          data: {
            health: {
              ...health,
              host: null,
              process: null,
              dependencies: health.dependencies.map((check) => ({ ...check, url: null })),
              services: health.services.map((service) => ({
                ...service,
                instances: service.instances.map((check, index) => ({
                  ...check,
                  name: `${service.name} ${index + 1}`,
                  url: null,
                })),
              })),
            },
          },
        },
      });
    });
    try {
      await page.getByRole('button', { name: 'System', exact: true }).click();
      const panel = page.getByRole('complementary', { name: 'System status' });
      await panel.locator('.details-hidden').waitFor();
      const instances = await panel.locator('.service .check-name').allTextContents();
      assert.ok(instances.includes('files 1'), instances.join(', '));
      assert.match(
        (await panel.locator('.details-hidden').textContent()) ?? '',
        /hidden.*HEALTH_DETAILS=1/,
      );
      assert.equal(await panel.getByRole('heading', { name: 'Host' }).count(), 0);
      assert.doesNotMatch((await panel.textContent()) ?? '', /127\.0\.0\.1|http:|localhost/);
      await panel.getByRole('button', { name: 'Close the system panel' }).click();
    } finally {
      await page.unroute('**/graphql');
    }
  });

  it('when the window is 360 px wide, then everything fits without sideways scrolling', async () => {
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 360, height: 740 });
    await narrow.goto(`${service.url}/`);
    await fileRow('readme.md', narrow).waitFor();
    const overflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.equal(overflow, 0);
    await shot('narrow-360', narrow);
    await narrow.close();
  });

  it('when the system asks for dark mode, then the page is dark', async () => {
    const dark = await browser.context.newPage();
    await dark.emulateMedia({ colorScheme: 'dark' });
    await dark.goto(`${service.url}/`);
    await fileRow('readme.md', dark).waitFor();
    const background = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    assert.ok(r + g + b < 150, `background ${background}`);
    await shot('dark', dark);
    await dark.close();
  });

  it('when the playground opens with the internet blocked, then it loads and sends a file upload', async () => {
    const playground = await browser.context.newPage();
    await playground.goto(`${service.url}/playground`);
    await playground.locator('.window-switcher__input', { hasText: 'deleteFiles' }).waitFor();
    const tabs = await playground.locator('.window-switcher__input').allTextContents();
    const names = tabs.map((tab) => tab.trim());
    for (const operation of [
      'files',
      'file',
      'folders',
      'uploadLimits',
      'health',
      'uploadFiles',
      'replaceFile',
      'renameFile',
      'deleteFiles',
    ]) {
      assert.ok(names.includes(operation), `example for ${operation} in ${names.join(', ')}`);
    }
    await playground.locator('.window-switcher__input', { hasText: 'uploadFiles' }).click();
    await playground.locator('.query-editor__inline-widget input[type=file]').setInputFiles([
      {
        name: 'from-playground.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('sent from Altair'),
      },
    ]);
    const answered = playground.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') &&
        (response.request().headers()['content-type'] ?? '').startsWith('multipart/form-data'),
    );
    await playground.getByRole('button', { name: 'Send Request' }).click();
    const response = await answered;
    assert.equal(response.status(), 200);
    assert.equal(response.request().headers()['apollo-require-preflight'], 'true');
    await playground
      .locator('app-query-result')
      .getByText('playground/from-playground.txt')
      .waitFor();
    await shot('playground', playground);
    await playground.close();
    await page.goto(`${service.url}/#/playground/`);
    await fileRow('from-playground.txt').waitFor();
  });

  it('when all of the above ran, then the policies were enforced and refused nothing the UI or the playground needed', async () => {
    // Altair 8 probes what the policy allows and falls back when refused: zod
    // tries `new Function` (and validates without it), the playground tries
    // eval (and runs pre-request scripts in its iframe-sandbox instead), and
    // Angular CDK, ng-zorro and CodeMirror add <style> elements that are
    // empty or get Altair's nonce and their rules a moment later.
    const expected = (violation: CspViolation) =>
      violation.page === `${service.url}/playground/` &&
      ((violation.directive === 'script-src' && violation.blocked === 'eval') ||
        (violation.directive === 'style-src-elem' && violation.blocked === 'inline')) &&
      /^http:\/\/127\.0\.0\.1:\d+\/playground\/(main|chunk-\w+)\.js:\d+$/.test(violation.source);
    assert.deepEqual(
      violations.filter((violation) => !expected(violation)),
      [],
    );
    for (const path of ['/', '/playground/']) {
      const probe = await browser.context.newPage();
      await probe.goto(`${service.url}${path}`);
      const ran = await probe.evaluate(() => {
        const injected = document.createElement('script');
        injected.textContent = 'document.body.dataset.injected = "ran"';
        document.body.append(injected);
        return document.body.dataset.injected;
      });
      assert.equal(ran, undefined, `an injected inline script ran on ${path}`);
      await probe.close();
    }
  });

  it('when a page of another origin puts the UI or the playground in a frame, then the browser shows neither', async () => {
    const other = await browser.context.newPage();
    await other.goto(framer.url);
    await other.waitForLoadState('load');
    const frames = other.frames().filter((frame) => frame !== other.mainFrame());
    assert.deepEqual(frames.map((frame) => frame.name()).sort(), ['playground', 'ui']);
    for (const frame of frames) {
      assert.ok(
        !frame.url().startsWith(service.url),
        `the ${frame.name()} frame shows ${frame.url()}`,
      );
    }
    await other.close();
  });

  it('when the password is changed from the account menu, then a wrong current one is refused and a right one works', async () => {
    const change = async (current: string, next: string) => {
      await accountButton().click();
      await page.getByRole('button', { name: 'Change password' }).click();
      const dialog = page.getByRole('dialog', { name: 'Change your password' });
      const first = dialog.getByLabel('Current password');
      await first.waitFor();
      assert.equal(await first.evaluate((element) => element === document.activeElement), true);
      await first.fill(current);
      await dialog.getByLabel('New password', { exact: true }).fill(next);
      await dialog.getByLabel('New password again').fill(next);
      await dialog.getByRole('button', { name: 'Change password' }).click();
      return dialog;
    };
    const refused = await change('not my password', 'a brand new password');
    await refused.getByRole('alert').filter({ hasText: 'current password is wrong' }).waitFor();
    await refused.getByRole('button', { name: 'Cancel' }).click();
    await refused.waitFor({ state: 'detached' });
    const changed = await change(testAdmin.password, 'a brand new password');
    await changed.waitFor({ state: 'detached' });
    await page.getByText('Your password is changed').waitFor();
    // And back, for the tests that sign in after this one.
    await (await change('a brand new password', testAdmin.password)).waitFor({ state: 'detached' });
  });

  it('when the session ends in another tab, then this one shows the sign-in page, and signing in returns to the same folder', async () => {
    await page.goto(`${service.url}/#/docs/`);
    await fileRow('report.txt').waitFor();
    const other = await browser.context.newPage();
    await other.goto(`${service.url}/`);
    await accountButton(other).click();
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.getByRole('form', { name: 'Sign in' }).waitFor();
    await other.close();
    // The next request from this tab hears that nobody is signed in.
    await page.getByRole('searchbox').fill('report');
    await page.getByText('Your session has ended.').waitFor();
    assert.equal(await page.locator('.file-row').count(), 0);
    await signInThroughPage(page);
    await fileRow('report.txt').waitFor();
    assert.equal(new URL(page.url()).hash, '#/docs/');
  });

  it('when the person signs out, then the sign-in page shows and the API no longer answers this browser', async () => {
    await page.goto(`${service.url}/#trash`);
    await page.getByTestId('trash-count').waitFor();
    await accountButton().click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByText('Your session has ended.').count(), 0);
    assert.equal(await page.locator('.trash-row, .file-row').count(), 0);
    const answer = await graphqlFromPage(page, '{ files { totalCount } }');
    assert.match(answer.text, /"code":"UNAUTHENTICATED"/);
    await signInThroughPage(page);
    await page.getByTestId('trash-count').waitFor();
  });

  it('when the server goes away in the middle of an upload, then the file says why and the page stays usable', async () => {
    await page.goto(`${service.url}/`);
    await fileRow('readme.md').waitFor();
    await throttleUploads(page, 500_000);
    await page.getByTestId('file-input').setInputFiles([
      {
        name: 'interrupted.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.alloc(4_000_000, 1),
      },
    ]);
    await page.waitForFunction(() => {
      const bar = document.querySelector(
        '.upload-row[data-name="interrupted.bin"] [role=progressbar]',
      );
      return Number(bar?.getAttribute('aria-valuenow')) > 2;
    });
    service.process.kill('SIGKILL');
    await service.process.exited;
    const row = uploadRow('interrupted.bin');
    await row.locator('.upload-error', { hasText: 'not answering' }).waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: 'Retry interrupted.bin' }).waitFor();
    await page.getByRole('searchbox').fill('anything');
    await page.getByRole('heading', { name: 'The files could not be loaded' }).waitFor();
    await page.getByRole('button', { name: 'Try again' }).waitFor();
    await shot('server-gone');
  });

  it('never asked any other origin for anything', () => {
    assert.deepEqual(browser.foreignRequests, []);
  });
});
