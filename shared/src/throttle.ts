/**
 * Throttling failed secrets (OWASP's "account lockout" done without locking
 * anyone out): sign-in (accounts, per account and per client address) and
 * share-link passwords (files, per link). The first `free` failures in a
 * row cost nothing; after that each attempt waits `base`, then twice as
 * long after every further failure, up to `cap`. Each service keeps its
 * counters in its own store, so every replica sees the same ones; a
 * success clears them. Waits never grow past `cap`: the rightful owner
 * always gets in once it has passed.
 */

export interface ThrottlePolicy {
  /** Failures in a row that cost no wait. */
  readonly free: number;
  /** The first wait, in ms. */
  readonly baseMs: number;
  /** The longest wait, in ms. */
  readonly capMs: number;
  /** A counter whose last failure is this old starts again from zero. */
  readonly forgetMs: number;
}

export const throttlePolicy: ThrottlePolicy = {
  free: 5,
  baseMs: 1_000,
  capMs: 15 * 60_000,
  forgetMs: 24 * 3_600_000,
};

/** How long the next attempt waits after `failures` failures in a row. */
export function throttleDelay(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.free) return 0;
  const doublings = Math.min(failures - policy.free, 40);
  return Math.min(policy.baseMs * 2 ** doublings, policy.capMs);
}

/**
 * The waits as a table, index = failures so far, the last entry repeating
 * for anything beyond: how a PostgreSQL store decides in one statement.
 */
export function throttleDelays(policy: ThrottlePolicy): number[] {
  const delays: number[] = [];
  for (let failures = 0; ; failures += 1) {
    delays.push(throttleDelay(failures, policy));
    const capped = delays.at(-1) === policy.capMs || failures >= policy.free + 40;
    if (failures >= policy.free && capped) return delays;
  }
}

/**
 * When the next attempt may be made (ms since 1970) after `failures` in a
 * row, the last at `lastAt`: `now` when there is no counter or it is
 * forgotten.
 */
export function throttleRetryAt(
  failures: number,
  lastAt: number | undefined,
  now: number,
  policy: ThrottlePolicy,
): number {
  if (lastAt === undefined || lastAt <= now - policy.forgetMs) return now;
  return lastAt + throttleDelay(failures, policy);
}

/** A wait as whole seconds, at least 1: what `Retry-After` (RFC 9110 §10.2.3) carries. */
export function retryAfterSeconds(retryAt: number, now: number): number {
  return Math.max(1, Math.ceil((retryAt - now) / 1000));
}

export type Attempt =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAt: number };
