import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  retryAfterSeconds,
  throttleDelay,
  throttleDelays,
  throttlePolicy,
  throttleRetryAt,
} from '../src/throttle.ts';

describe('throttle policy', () => {
  it('when failures pile up, then the first 5 are free, then the wait doubles from 1 s up to 15 minutes', () => {
    const waits = [0, 1, 4, 5, 6, 7, 15, 100].map((f) => throttleDelay(f, throttlePolicy));
    assert.deepEqual(waits, [0, 0, 0, 1_000, 2_000, 4_000, 900_000, 900_000]);
    const table = throttleDelays(throttlePolicy);
    assert.equal(table.at(-1), throttlePolicy.capMs);
    for (const [failures, wait] of table.entries())
      assert.equal(wait, throttleDelay(failures, throttlePolicy));
  });

  it('when a counter is missing or forgotten, then the next attempt may come now; otherwise after its wait', () => {
    const now = 1_000_000_000;
    assert.equal(throttleRetryAt(9, undefined, now, throttlePolicy), now);
    assert.equal(throttleRetryAt(9, now - throttlePolicy.forgetMs, now, throttlePolicy), now);
    assert.equal(throttleRetryAt(4, now, now, throttlePolicy), now);
    assert.equal(throttleRetryAt(6, now - 500, now, throttlePolicy), now + 1_500);
  });

  it('when a wait is turned into Retry-After, then it is whole seconds, rounded up, at least 1', () => {
    assert.equal(retryAfterSeconds(1_000, 1_000), 1);
    assert.equal(retryAfterSeconds(2_001, 1_000), 2);
    assert.equal(retryAfterSeconds(61_000, 1_000), 60);
  });
});
