import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot } from 'solid-js';
import { createNotices, lifetimeOf, noticesShown } from '../../src/ui/notices.ts';

const messages = (notices: ReturnType<typeof createNotices>) =>
  notices.list().map((notice) => notice.message);

describe('notices', () => {
  it('when more come than fit, then the newest push the oldest out', () => {
    createRoot((dispose) => {
      const notices = createNotices();
      for (const message of ['one', 'two', 'three', 'four']) notices.notify('info', message);
      assert.equal(noticesShown, 3);
      assert.deepEqual(messages(notices), ['two', 'three', 'four']);
      dispose();
    });
  });

  it('when time passes, then each goes after its own while: errors and undos stay longer', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    createRoot((dispose) => {
      const notices = createNotices();
      notices.notify('success', 'renamed');
      notices.notify('success', 'deleted', { label: 'Undo', run: () => {} });
      notices.notify('error', 'failed');
      assert.deepEqual(
        [6000, 10_000, 12_000],
        [lifetimeOf('success', false), lifetimeOf('success', true), lifetimeOf('error', false)],
      );
      t.mock.timers.tick(6000);
      assert.deepEqual(messages(notices), ['deleted', 'failed']);
      t.mock.timers.tick(4000);
      assert.deepEqual(messages(notices), ['failed']);
      t.mock.timers.tick(2000);
      assert.deepEqual(messages(notices), []);
      dispose();
    });
  });

  it('when one is dismissed, then it goes at once and keeps its action', () => {
    createRoot((dispose) => {
      const notices = createNotices();
      let undone = 0;
      notices.notify('success', 'deleted', { label: 'Undo', run: () => (undone += 1) });
      notices.notify('info', 'other');
      const [deleted] = notices.list();
      deleted?.action?.run();
      notices.dismiss(deleted?.id ?? -1);
      assert.equal(undone, 1);
      assert.deepEqual(messages(notices), ['other']);
      assert.equal(notices.list()[0]?.action, undefined);
      dispose();
    });
  });
});
