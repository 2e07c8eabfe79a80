import type { TestBrowser } from '@filegraph/testing/browser';

export interface CspViolation {
  /** The page (or frame) whose policy refused something. */
  readonly page: string;
  /** e.g. script-src-elem, style-src-attr, frame-src. */
  readonly directive: string;
  /** What was refused: a URL, or inline / eval. */
  readonly blocked: string;
  /** The script that tried, where the browser knows it. */
  readonly source: string;
}

/**
 * Every Content-Security-Policy violation in any page or frame of the
 * browser from now on, as the page itself sees it (the
 * `securitypolicyviolation` event, which the browser fires for each
 * refusal it also logs), collected in the returned list as they happen.
 */
export async function recordCspViolations(browser: TestBrowser): Promise<CspViolation[]> {
  const violations: CspViolation[] = [];
  await browser.context.exposeBinding(
    'reportCspViolation',
    ({ frame }, violation: Omit<CspViolation, 'page'>) =>
      void violations.push({ page: frame.url(), ...violation }),
  );
  await browser.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation(v: unknown): void })
        .reportCspViolation;
      report({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}` : '',
      });
    });
  });
  return violations;
}
