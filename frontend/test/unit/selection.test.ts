import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot, createSignal } from 'solid-js';
import { createSelection } from '../../src/ui/selection.ts';

/** Rows as the file table has them: two folders first, then files f0, f1, …; f2 not loaded yet. */
const idAt = (index: number) => (index < 2 || index === 4 ? undefined : `f${index - 2}`);
const click = (index: number, range = false) => ({ index, range, idAt });
const sorted = (ids: ReadonlySet<string>) => [...ids].sort();

describe('selection', () => {
  it('when a row is clicked twice, then it is selected and then not', () => {
    createRoot((dispose) => {
      const selection = createSelection();
      selection.toggle('f0', click(2));
      assert.equal(selection.has('f0'), true);
      selection.toggle('f0', click(2));
      assert.equal(selection.has('f0'), false);
      dispose();
    });
  });

  it('when a row is shift-clicked after another, then every loaded file between them is selected', () => {
    createRoot((dispose) => {
      const selection = createSelection();
      selection.toggle('f4', click(6));
      selection.toggle('f0', click(2, true));
      assert.deepEqual(sorted(selection.ids()), ['f0', 'f1', 'f3', 'f4']);
      dispose();
    });
  });

  it('when the shift-clicked row was selected, then the whole range is unselected', () => {
    createRoot((dispose) => {
      const selection = createSelection();
      selection.set(['f0', 'f1', 'f3', 'f4', 'f5']);
      selection.toggle('f1', click(3));
      selection.toggle('f4', click(6, true));
      assert.deepEqual(sorted(selection.ids()), ['f0', 'f5']);
      dispose();
    });
  });

  it('when shift is held on the first click, then just that row flips', () => {
    createRoot((dispose) => {
      const selection = createSelection();
      selection.toggle('f2', click(4, true));
      assert.deepEqual(sorted(selection.ids()), ['f2']);
      dispose();
    });
  });

  it('when files go away, then they leave the selection; picking keeps the list’s order', () => {
    createRoot((dispose) => {
      const selection = createSelection();
      selection.set(['c', 'a', 'b']);
      selection.forget(['b', 'gone']);
      const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
      assert.deepEqual(selection.pick(items), [{ id: 'a' }, { id: 'c' }]);
      selection.clear();
      assert.equal(selection.ids().size, 0);
      assert.deepEqual(selection.pick(items), []);
      dispose();
    });
  });

  it('when what is listed changes, then the selection starts over and a shift-click starts no range', () => {
    const { selection, setFolder, dispose } = createRoot((dispose) => {
      const [folder, setFolder] = createSignal('a/');
      return { selection: createSelection(folder), setFolder, dispose };
    });
    selection.toggle('f0', click(2));
    setFolder('b/');
    assert.equal(selection.ids().size, 0);
    selection.toggle('f3', click(5, true));
    assert.deepEqual(sorted(selection.ids()), ['f3']);
    dispose();
  });
});
