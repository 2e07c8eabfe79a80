import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot } from 'solid-js';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import { usageBars } from '../../src/usage/usageBars.ts';
import { createUsageSummary, type UsageFigures } from '../../src/usage/usageSummary.ts';
import { fakeFetch, until, type Answer } from './fakeApi.ts';

const figures = (files: number, bytes: number): UsageFigures => ({
  computedAt: '2026-12-02T10:00:00.000Z',
  files,
  bytes,
  byType: files ? [{ contentType: 'image/png', files, bytes }] : [],
  byOwner: files
    ? [{ owner: { id: 'u1', email: 'ada@example.org', name: null }, files, bytes }]
    : [],
});

/** The usage query answered in turn by `answers` (the last one again once they run out). */
function usageOver(answers: Answer[]) {
  const api = fakeFetch((request) => {
    assert.equal(request.operationName, 'UsageSummary');
    return answers.length > 1 ? answers.shift()! : answers[0]!;
  });
  return createRoot((dispose) => ({
    usage: createUsageSummary(createGraphQLClient({ fetch: api.fetch })),
    api,
    dispose,
  }));
}

describe('usage figures', () => {
  it('when the page opens, then it is loading until the figures come, then ready', async () => {
    const { usage, dispose } = usageOver([{ data: { usageSummary: figures(3, 3000) } }]);
    assert.equal(usage.state(), 'loading');
    await until(() => usage.state() === 'ready');
    assert.equal(usage.figures()?.bytes, 3000);
    assert.equal(usage.problem(), undefined);
    dispose();
  });

  it('when no file is stored, then the state is empty', async () => {
    const { usage, dispose } = usageOver([{ data: { usageSummary: figures(0, 0) } }]);
    await until(() => usage.state() !== 'loading');
    assert.equal(usage.state(), 'empty');
    dispose();
  });

  it('when a member opens it, then the server’s FORBIDDEN shows as the error, and a retry that works shows the figures', async () => {
    const { usage, api, dispose } = usageOver([
      {
        errors: [
          {
            message: 'Only an admin may see the usage report and its figures.',
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      },
      { data: { usageSummary: figures(1, 10) } },
    ]);
    await until(() => usage.state() === 'error');
    assert.equal(usage.problem()?.code, 'FORBIDDEN');
    assert.match(usage.problem()?.message ?? '', /Only an admin/);
    usage.reload();
    await until(() => usage.state() === 'ready');
    assert.equal(usage.problem(), undefined);
    assert.equal(api.seen.length, 2, 'a reload asks the server again, not a cache');
    dispose();
  });

  it('when a reload fails, then the figures already shown stay, with the problem beside them', async () => {
    const { usage, dispose } = usageOver([
      { data: { usageSummary: figures(2, 20) } },
      new Error('connection refused'),
    ]);
    await until(() => usage.state() === 'ready');
    usage.reload();
    await until(() => usage.problem() !== undefined);
    assert.equal(usage.state(), 'ready');
    assert.equal(usage.figures()?.files, 2);
    dispose();
  });
});

describe('usage bars', () => {
  it('when the named groups leave files out, then an Other bar holds the rest and the bars add up to the whole', () => {
    const bars = usageBars(
      [
        { label: 'video/mp4', files: 2, bytes: 600 },
        { label: 'image/png', files: 3, bytes: 300 },
      ],
      { files: 10, bytes: 1000 },
    );
    assert.deepEqual(
      bars.map((bar) => [bar.label, bar.files, bar.bytes, bar.share, bar.other]),
      [
        ['video/mp4', 2, 600, 0.6, false],
        ['image/png', 3, 300, 0.3, false],
        ['Other', 5, 100, 0.1, true],
      ],
    );
  });

  it('when the groups are every file, then there is no Other bar; with nothing stored, shares are 0', () => {
    assert.deepEqual(
      usageBars([{ label: 'a', files: 1, bytes: 5 }], { files: 1, bytes: 5 }).map((b) => b.label),
      ['a'],
    );
    assert.deepEqual(usageBars([], { files: 0, bytes: 0 }), []);
    assert.equal(
      usageBars([{ label: 'empty', files: 1, bytes: 0 }], { files: 1, bytes: 0 })[0]?.share,
      0,
    );
  });
});
