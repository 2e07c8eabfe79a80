/**
 * Sign-in throttling (OWASP's "account lockout" done without locking anyone
 * out): per account and per client address, the first `free` failures in a
 * row cost nothing; after that each attempt waits `base`, then twice as
 * long after every further failure, up to `cap`. The counter lives in the
 * store, so every replica sees the same one; a success clears the
 * account's. Waits never grow past `cap`: the rightful owner always gets
 * in once it has passed.
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
 * for anything beyond: how the PostgreSQL driver decides in one statement.
 */
export function throttleDelays(policy: ThrottlePolicy): number[] {
  const delays: number[] = [];
  for (let failures = 0; ; failures += 1) {
    delays.push(throttleDelay(failures, policy));
    const capped = delays.at(-1) === policy.capMs || failures >= policy.free + 40;
    if (failures >= policy.free && capped) return delays;
  }
}

export type Attempt =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAt: number };
