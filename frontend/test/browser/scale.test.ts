import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testAdminEnv } from '@filegraph/testing/accounts';
import { launchBrowser, type Page, type TestBrowser } from '@filegraph/testing/browser';
import { root } from '@filegraph/processes/root';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { signInThroughPage } from './signIn.ts';

/**
 * The list with SCALE_FILES files (100,000 unless set) in one folder, the
 * worst case for a listing: how soon the first rows show, how smooth a fling
 * through them is, and how long a jump to the middle and to the end takes.
 * The numbers go to test-results/scale.json.
 */

const count = Number(process.env.SCALE_FILES ?? 100_000);
const results = join(root, 'test-results');

let data: Awaited<ReturnType<typeof tempDir>>;
let service: RunningService;
let browser: TestBrowser;
let page: Page;
const measured: Record<string, number | string> = { files: count };

/** Tiny files straight into the disk store; it catalogues them when it starts. */
async function writeMany(folder: string, total: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  const width = String(total).length;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      await writeFile(join(folder, `file-${String(index).padStart(width, '0')}.txt`), `${index}\n`);
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
}

/** Frame times (ms) while the list is scrolled `step` px every frame for `frames` frames. */
function fling(target: Page, step: number, frames: number): Promise<number[]> {
  return target.evaluate(
    ({ step, frames }) =>
      new Promise<number[]>((resolve) => {
        const scroller = document.querySelector<HTMLElement>('.scroller');
        if (!scroller) throw new Error('no list');
        const times: number[] = [];
        let last = performance.now();
        const frame = (now: number) => {
          times.push(now - last);
          last = now;
          scroller.scrollTop += step;
          if (times.length < frames) requestAnimationFrame(frame);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(frame);
      }),
    { step, frames },
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

describe(`the list with ${count.toLocaleString('en')} files`, { timeout: 600_000 }, () => {
  before(async () => {
    data = await tempDir('scale');
    let started = performance.now();
    await writeMany(join(data.path, 'files'), count);
    measured.writeFilesMs = Math.round(performance.now() - started);
    started = performance.now();
    service = await startService(
      'embedded',
      { DATA_DIR: data.path, ...testAdminEnv },
      { timeoutMs: 120_000 },
    );
    measured.serverStartMs = Math.round(performance.now() - started);
    browser = await launchBrowser({ allowedOrigins: [service.url] });
    page = await browser.newPage();
    // Signed in before the measured page load, which then opens straight onto the list.
    await signInThroughPage(page, { url: `${service.url}/#tokens` });
  });

  after(async () => {
    await mkdir(results, { recursive: true });
    await writeFile(join(results, 'scale.json'), `${JSON.stringify(measured, null, 2)}\n`);
    await browser?.close();
    await service?.stop();
    await data?.remove();
  });

  it('shows the first rows quickly and the full count', async () => {
    await page.goto(`${service.url}/`);
    await page.locator('.file-row').first().waitFor();
    const times = await page.evaluate(() => ({
      firstPaint: performance.getEntriesByName('first-paint')[0]?.startTime ?? -1,
      firstContentfulPaint:
        performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
      firstRows: performance.now(),
    }));
    measured.firstPaintMs = Math.round(times.firstPaint);
    measured.firstContentfulPaintMs = Math.round(times.firstContentfulPaint);
    // performance.now() just after the first row showed: an upper bound for time to rows.
    measured.timeToFirstRowsMs = Math.round(times.firstRows);
    await page
      .getByTestId('count')
      .filter({ hasText: `${count.toLocaleString('en')} files` })
      .waitFor();
    measured.domRows = await page.locator('.rows > .row').count();
    assert.ok(Number(measured.domRows) < 100, `only the rows in view exist (${measured.domRows})`);
    // How fast is measured, not asserted (scale.json; targets live in npm run bench).
  });

  it('scrolls smoothly through what is loaded', async () => {
    await page.locator('.scroller').evaluate((element) => (element.scrollTop = 0));
    const frames = await fling(page, 120, 240);
    measured.scrollFrames = frames.length;
    measured.scrollFrameMedianMs = Number(percentile(frames, 50).toFixed(1));
    measured.scrollFrameP95Ms = Number(percentile(frames, 95).toFixed(1));
    measured.scrollFrameMaxMs = Number(Math.max(...frames).toFixed(1));
    measured.scrollFramesOver50Ms = frames.filter((time) => time > 50).length;
    assert.ok(
      frames.length > 10,
      `the list kept painting while it scrolled (${frames.length} frames)`,
    );
  });

  it('reaches the middle and the end by following the cursor', async () => {
    const middle = Math.floor(count / 2);
    const jumpTo = async (index: number) => {
      const started = performance.now();
      await page
        .locator('.scroller')
        .evaluate((element, top) => (element.scrollTop = top), index * 44);
      await page.locator(`#row-${index}.file-row`).waitFor({ timeout: 300_000 });
      return Math.round(performance.now() - started);
    };
    measured.jumpToMiddleMs = await jumpTo(middle);
    const frames = await fling(page, 120, 120);
    measured.scrollAtMiddleFrameP95Ms = Number(percentile(frames, 95).toFixed(1));
    measured.jumpToEndMs = await jumpTo(count - 1);
    const last = await page.locator(`#row-${count - 1} .name-button`).textContent();
    assert.equal(last, `file-${String(count - 1).padStart(String(count).length, '0')}.txt`);
    const memory = await page.evaluate(
      () =>
        (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
          ?.usedJSHeapSize ?? 0,
    );
    measured.jsHeapAfterAllLoadedMB = Math.round(memory / 1e6);
  });

  it('never asked any other origin for anything', () => {
    assert.deepEqual(browser.foreignRequests, []);
  });
});
