import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { requireTool } from '@filegraph/processes/tools';
import { tempDir } from './temp.ts';

export type { CDPSession, Page, Route } from 'playwright-core';

/**
 * Real headless Chromium for UI tests: Debian's /usr/bin/chromium (never a
 * downloaded browser) driven by playwright-core, with a fresh profile each
 * time, and a guard that blocks and records every request to another origin.
 */

/** Flags that work on these machines (no sandbox, no GPU, nothing phoning home). */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** CHROMIUM_BIN, else Debian's chromium. */
export function chromiumBinary(): string {
  return requireTool('chromium');
}

export interface BrowserOptions {
  /** Origins pages may reach (e.g. the gateway's); every other request is aborted and recorded. */
  readonly allowedOrigins: readonly string[];
  readonly viewport?: { width: number; height: number };
  readonly colorScheme?: 'light' | 'dark';
  readonly timeoutMs?: number;
}

export interface TestBrowser {
  readonly context: BrowserContext;
  /** Requests that went (or tried to go) anywhere but the allowed origins. */
  readonly foreignRequests: string[];
  /** Console errors and uncaught page errors, for a test to show when it fails. */
  readonly pageErrors: string[];
  newPage(options?: {
    viewport?: { width: number; height: number };
    colorScheme?: 'light' | 'dark';
  }): Promise<Page>;
  close(): Promise<void>;
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Data, blob and about URLs stay inside the page; only network requests count. */
function isForeign(request: Request, allowed: ReadonlySet<string>): boolean {
  const origin = originOf(request.url());
  return origin !== undefined && !allowed.has(origin);
}

export async function launchBrowser(options: BrowserOptions): Promise<TestBrowser> {
  const profile = await tempDir('chromium');
  const allowed = new Set(options.allowedOrigins.map((origin) => new URL(origin).origin));
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile.path, {
      executablePath: chromiumBinary(),
      headless: true,
      args: [...chromiumFlags],
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
      acceptDownloads: true,
      timeout: options.timeoutMs ?? 30_000,
    });
  } catch (error) {
    await profile.remove();
    throw error;
  }
  context.setDefaultTimeout(options.timeoutMs ?? 15_000);
  await context.route('**/*', (route) => {
    const request = route.request();
    if (isForeign(request, allowed)) {
      foreignRequests.push(request.url());
      return route.abort('blockedbyclient');
    }
    return route.fallback();
  });
  const watch = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`${page.url()}: ${message.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);

  let closed = false;
  return {
    context,
    foreignRequests,
    pageErrors,
    async newPage(pageOptions = {}) {
      const page =
        context.pages().find((open) => open.url() === 'about:blank') ?? (await context.newPage());
      if (pageOptions.viewport) await page.setViewportSize(pageOptions.viewport);
      if (pageOptions.colorScheme)
        await page.emulateMedia({ colorScheme: pageOptions.colorScheme });
      return page;
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      await profile.remove();
    },
  };
}
