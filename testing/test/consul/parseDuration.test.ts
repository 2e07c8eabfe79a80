import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../../src/consul/parseDuration.ts';

describe('parseDuration', () => {
  const cases: readonly [unknown, number | undefined][] = [
    ['10s', 10_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
    ['0', 0],
    [1_000_000_000, 1_000],
    ['10', undefined],
    ['ten seconds', undefined],
    ['', undefined],
    [null, undefined],
  ];
  for (const [input, expected] of cases) {
    it(`when given ${JSON.stringify(input)}, then it reads ${String(expected)} ms`, () => {
      assert.equal(parseDuration(input), expected);
    });
  }

  it('when a duration is formatted, then it reads as Go writes it', () => {
    assert.deepEqual([0, 200, 10_000, 90_000, 3_600_000].map(formatDuration), [
      '0s',
      '200ms',
      '10s',
      '1m30s',
      '1h0m0s',
    ]);
  });
});
