export interface PageHeaderOptions {
  /** Content-Security-Policy directives, one an entry; frame-ancestors is added from `framing`. */
  readonly policy: readonly string[];
  /** Who may show the page in a frame: nobody (the default), or pages of this origin. */
  readonly framing?: 'none' | 'self';
}

/**
 * The headers a page of ours (and every file it loads) is served with: its
 * Content-Security-Policy, no framing by other sites (frame-ancestors, and
 * X-Frame-Options for browsers that predate it), no MIME sniffing, no
 * Referer to wherever a link leads, a browsing context group of its own
 * (no window another site opened or was opened by keeps a handle on it),
 * and nothing of it loadable by other sites' pages.
 */
export function pageHeaders(options: PageHeaderOptions): Record<string, string> {
  const framing = options.framing ?? 'none';
  return {
    'Content-Security-Policy': [...options.policy, `frame-ancestors '${framing}'`].join('; '),
    'X-Frame-Options': framing === 'none' ? 'DENY' : 'SAMEORIGIN',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
