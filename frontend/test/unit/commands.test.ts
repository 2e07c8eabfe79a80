import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot } from 'solid-js';
import { createFileCommands } from '../../src/files/fileCommands.ts';
import { createListing, nextOrder } from '../../src/files/listing.ts';
import { folderOf } from '../../src/files/names.ts';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import type { FileNode } from '../../src/graphql/types.ts';
import { createTrashCommands } from '../../src/trash/trashCommands.ts';
import { createTrashList } from '../../src/trash/trashList.ts';
import { createNotices } from '../../src/ui/notices.ts';
import { createPanels } from '../../src/ui/panels.ts';
import { createSelection } from '../../src/ui/selection.ts';
import { fakeFetch, fakeTrash, fileNode, trashedNode, until } from './fakeApi.ts';

/**
 * The files API over a folder of names: listing, renames (CONFLICT for a taken name
 * unless overwrite), deletes to a trash and restores from it. Ids follow fileNode's.
 */
function fakeFiles(names: string[]) {
  const files = new Map(names.map((name) => [`id:${name}`, fileNode(name)]));
  const trash = new Map<string, FileNode>();
  const api = fakeFetch((request) => {
    const variables = request.variables as Record<string, unknown>;
    switch (request.operationName) {
      case 'Files': {
        const prefix = (variables.prefix as string | null) ?? '';
        const nodes = [...files.values()].filter((file) => folderOf(file.name) === prefix);
        return {
          data: {
            files: {
              nodes,
              pageInfo: { hasNextPage: false, endCursor: null },
              totalCount: nodes.length,
            },
          },
        };
      }
      case 'Folders':
        return { data: { folders: [] } };
      case 'RenameFile': {
        const { id, name, overwrite } = variables as {
          id: string;
          name: string;
          overwrite: boolean;
        };
        const taken = [...files.values()].find((file) => file.name === name && file.id !== id);
        if (taken && !overwrite) {
          return { errors: [{ message: `${name} exists`, extensions: { code: 'CONFLICT' } }] };
        }
        if (taken) files.delete(taken.id);
        const renamed = { ...fileNode(name), id };
        files.set(id, renamed);
        return { data: { renameFile: renamed } };
      }
      case 'DeleteFiles': {
        const ids = (variables.ids as string[]).filter((id) => files.has(id));
        for (const id of ids) {
          trash.set(id, files.get(id) as FileNode);
          files.delete(id);
        }
        return { data: { deleteFiles: ids } };
      }
      case 'RestoreFiles': {
        const back = (variables.ids as string[]).flatMap((id) => trash.get(id) ?? []);
        for (const file of back) {
          trash.delete(file.id);
          files.set(file.id, file);
        }
        return { data: { restoreFiles: back } };
      }
      default:
        return { errors: [{ message: `not faked: ${request.operationName}` }] };
    }
  });
  return { ...api, files };
}

/** The files view's stores and commands, as App wires them, over `names` in the top folder. */
function filesView(names: string[]) {
  const api = fakeFiles(names);
  return createRoot((dispose) => {
    const client = createGraphQLClient({ fetch: api.fetch });
    const notices = createNotices();
    const panels = createPanels();
    const listing = createListing(client, () => '');
    const selection = createSelection(listing.query);
    const commands = createFileCommands(client, {
      listing,
      selection,
      panels,
      notify: notices.notify,
    });
    const listed = () => listing.loaded().map((file) => file.name);
    const said = () => notices.list().map((notice) => notice.message);
    return { api, notices, panels, listing, selection, commands, listed, said, dispose };
  });
}

describe('file commands', () => {
  it('when a column is clicked, then the list sorts by it its usual way; clicked again, the other way', () => {
    const byName = { field: 'NAME', direction: 'ASC' } as const;
    assert.deepEqual(nextOrder(byName, 'SIZE'), { field: 'SIZE', direction: 'DESC' });
    assert.deepEqual(nextOrder(byName, 'NAME'), { field: 'NAME', direction: 'DESC' });
    assert.deepEqual(nextOrder({ field: 'SIZE', direction: 'DESC' }, 'NAME'), byName);
  });

  it('when a file is renamed to a taken name, then nothing happens until the overwrite is confirmed', async () => {
    const view = filesView(['a.txt', 'b.txt']);
    await until(() => view.listed().length === 2);
    const [a] = view.listing.loaded();
    view.panels.openPreview(a as FileNode);
    view.commands.rename(a as FileNode, ' b.txt ');
    await until(() => view.commands.pendingOverwrite() !== undefined);
    assert.deepEqual(view.listed(), ['a.txt', 'b.txt']);
    view.commands.confirmOverwrite();
    await until(() => view.said().includes('Renamed to b.txt.'));
    assert.equal(view.commands.pendingOverwrite(), undefined);
    assert.deepEqual(view.api.seen.at(-1)?.variables, {
      id: 'id:a.txt',
      name: 'b.txt',
      overwrite: true,
    });
    assert.equal(view.listing.files.file(0)?.name, 'b.txt');
    assert.equal(view.panels.preview()?.name, 'b.txt', 'the preview follows the rename');
    view.dispose();
  });

  it('when a new name puts the file in another folder, then it leaves this one and the notice says where', async () => {
    const view = filesView(['a.txt', 'b.txt']);
    await until(() => view.listed().length === 2);
    view.commands.rename(view.listing.loaded()[0] as FileNode, 'docs/a.txt');
    await until(() => view.listed().length === 1);
    assert.deepEqual(view.listed(), ['b.txt']);
    assert.deepEqual(view.said(), ['Moved a.txt to docs/.']);
    view.dispose();
  });

  it('when selected files are deleted after confirming, then they leave the list and the selection, and Undo brings them back', async () => {
    const view = filesView(['a.txt', 'b.txt', 'c.txt']);
    await until(() => view.listed().length === 3);
    view.selection.set(['id:a.txt', 'id:c.txt']);
    view.commands.askDelete(view.selection.pick(view.listing.loaded()));
    assert.equal(view.commands.pendingDelete()?.length, 2);
    assert.equal(view.api.files.size, 3, 'nothing is deleted before the confirmation');
    view.commands.confirmDelete();
    await until(() => view.listed().length === 1);
    assert.equal(view.selection.ids().size, 0);
    const [notice] = view.notices.list();
    assert.equal(notice?.message, 'Moved 2 files to the trash.');
    notice?.action?.run();
    await until(() => view.listed().length === 3);
    assert.equal(view.said().at(-1), 'Restored 2 files.');
    view.dispose();
  });
});

describe('trash commands', () => {
  it('when a restore is refused for a taken name, then the refusal says so and the selection stays; once it works, the selection lets go', async () => {
    const taken = new Set(['docs/a.txt']);
    const api = fakeTrash(
      [
        trashedNode('docs/a.txt', '2025-01-02T00:00:00.000Z'),
        trashedNode('b.txt', '2025-01-01T00:00:00.000Z'),
      ],
      taken,
    );
    const restored: string[] = [];
    const { trash, selection, commands, dispose } = createRoot((dispose) => {
      const trash = createTrashList(createGraphQLClient({ fetch: api.fetch }));
      const selection = createSelection();
      const commands = createTrashCommands(() => trash, {
        selection,
        notify: () => {},
        onRestored: (files) => restored.push(...files.map((file) => file.name)),
      });
      return { trash, selection, commands, dispose };
    });
    await until(() => trash.state() === 'ready');
    selection.set(['id:docs/a.txt']);
    commands.restore(selection.pick(trash.items()));
    await until(() => commands.refusal() !== undefined);
    assert.match(commands.refusal() ?? '', /that name is taken again/);
    assert.equal(selection.has('id:docs/a.txt'), true);
    taken.clear();
    commands.restore(selection.pick(trash.items()));
    await until(() => restored.length === 1);
    assert.deepEqual(restored, ['docs/a.txt']);
    assert.equal(commands.refusal(), undefined);
    assert.equal(selection.ids().size, 0);
    assert.equal(commands.busy(), false);
    dispose();
  });
});
