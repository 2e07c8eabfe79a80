import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot, createSignal } from 'solid-js';
import { deleteFiles, moveFolder, renameFile } from '../../src/files/fileActions.ts';
import { createFolders } from '../../src/files/folders.ts';
import {
  baseName,
  crumbsOf,
  folderOf,
  kindOf,
  renamedFolder,
  uploadPrefix,
  versionedUrl,
} from '../../src/files/names.ts';
import { loadTextPreview } from '../../src/files/textPreview.ts';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import type { Health } from '../../src/graphql/types.ts';
import { createSystemHealth } from '../../src/health/systemHealth.ts';
import { formatDuration, formatSize, plural } from '../../src/ui/format.ts';
import { createUploadLimits } from '../../src/uploads/uploadLimits.ts';
import { fakeFetch, fileNode, until } from './fakeApi.ts';

const health: Health = {
  status: 'OK',
  version: '0.1.0',
  uptimeSeconds: 12,
  checkedAt: '2025-01-01T00:00:00.000Z',
  host: {
    hostname: 'h',
    platform: 'linux',
    cpus: 2,
    loadAverage: [0, 0, 0],
    memory: { totalBytes: 2, freeBytes: 1 },
  },
  process: { rssBytes: 1, heapUsedBytes: 1 },
  dependencies: [{ name: 'storage', status: 'OK', latencyMs: 1, error: null, url: null }],
  services: [{ name: 'files', status: 'OK', instances: [] }],
};

describe('file actions', () => {
  it('when two tabs delete the same file, then the second learns it was already gone', async () => {
    const api = fakeFetch((request) => ({
      data: { deleteFiles: (request.variables.ids as string[]).filter((id) => id !== 'gone') },
    }));
    const outcome = await deleteFiles(createGraphQLClient({ fetch: api.fetch }), ['here', 'gone']);
    assert.deepEqual(outcome, { ok: true, value: { deleted: ['here'], alreadyGone: ['gone'] } });
  });

  it('when a delete fails, then nothing is reported deleted and the reason is kept', async () => {
    const api = fakeFetch(() => ({
      errors: [{ message: 'storage is down', extensions: { code: 'UNAVAILABLE' } }],
    }));
    const outcome = await deleteFiles(createGraphQLClient({ fetch: api.fetch }), ['a']);
    assert.deepEqual(outcome, {
      ok: false,
      problem: { code: 'UNAVAILABLE', message: 'storage is down' },
    });
  });

  it('when a rename is asked for, then the full name goes out and the file comes back with the same id', async () => {
    const api = fakeFetch((request) => ({
      data: {
        renameFile: { ...fileNode(request.variables.name as string), id: request.variables.id },
      },
    }));
    const outcome = await renameFile(
      createGraphQLClient({ fetch: api.fetch }),
      'id:a.txt',
      ' docs/ünï côdé.txt ',
    );
    assert.equal(outcome.ok && outcome.value.id, 'id:a.txt');
    assert.equal(outcome.ok && outcome.value.name, 'docs/ünï côdé.txt');
    assert.deepEqual(api.seen[0]?.variables, {
      id: 'id:a.txt',
      name: 'docs/ünï côdé.txt',
      overwrite: false,
    });
  });

  it('when the new name is empty or a folder, then it is refused before any request', async () => {
    const api = fakeFetch(() => ({ data: null }));
    const client = createGraphQLClient({ fetch: api.fetch });
    for (const name of ['', '   ', 'photos/']) {
      const outcome = await renameFile(client, 'id', name);
      assert.equal(outcome.ok, false);
    }
    assert.equal(api.seen.length, 0);
  });

  it('when a folder is moved, then its path and target go out and the count of files moved comes back', async () => {
    const api = fakeFetch(() => ({ data: { moveFolder: 12 } }));
    const outcome = await moveFolder(createGraphQLClient({ fetch: api.fetch }), 'a/b/', 'a/c/');
    assert.deepEqual(outcome, { ok: true, value: 12 });
    assert.equal(api.seen[0]?.operationName, 'MoveFolder');
    assert.deepEqual(api.seen[0]?.variables, { path: 'a/b/', to: 'a/c/' });
  });

  it('when the target folder exists, then the move is refused with its reason', async () => {
    const api = fakeFetch(() => ({
      errors: [
        { message: 'The folder "a/c/" already holds files', extensions: { code: 'CONFLICT' } },
      ],
    }));
    const outcome = await moveFolder(createGraphQLClient({ fetch: api.fetch }), 'a/b/', 'a/c/');
    assert.equal(!outcome.ok && outcome.problem.code, 'CONFLICT');
  });

  it('when the server answers with an internal error, then people get a message they can act on', async () => {
    const api = fakeFetch(() => ({
      errors: [{ message: 'ECONNRESET at …', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    }));
    const outcome = await renameFile(createGraphQLClient({ fetch: api.fetch }), 'id', 'x');
    assert.equal(outcome.ok, false);
    assert.doesNotMatch(!outcome.ok ? outcome.problem.message : '', /ECONNRESET/);
  });

  it('when a gateway in front answers 502 with HTML, then the problem says the server is unavailable', async () => {
    const api = fakeFetch(
      () =>
        new Response('<html>Bad Gateway</html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
    );
    const outcome = await deleteFiles(createGraphQLClient({ fetch: api.fetch }), ['a']);
    assert.equal(!outcome.ok && outcome.problem.code, 'UNAVAILABLE');
  });
});

describe('folders', () => {
  it('when the folder changes, then its subfolders are asked for; when hidden, none are listed', async () => {
    const api = fakeFetch((request) => ({
      data: { folders: [{ path: `${request.variables.prefix ?? ''}sub/`, name: 'sub' }] },
    }));
    await createRoot(async (dispose) => {
      const [prefix, setPrefix] = createSignal<string | undefined>('');
      const folders = createFolders(createGraphQLClient({ fetch: api.fetch }), prefix);
      await until(() => folders.list().length === 1);
      assert.equal(folders.list()[0]?.path, 'sub/');
      assert.equal(api.seen[0]?.variables.prefix, null);
      setPrefix('photos/');
      await until(() => folders.list()[0]?.path === 'photos/sub/');
      setPrefix(undefined);
      assert.deepEqual(folders.list(), []);
      dispose();
    });
  });
});

describe('system health', () => {
  it('when the panel is open, then health is asked again and again; when closed, it stops', async () => {
    const api = fakeFetch(() => ({ data: { health } }));
    await createRoot(async (dispose) => {
      const [open, setOpen] = createSignal(true);
      const system = createSystemHealth(createGraphQLClient({ fetch: api.fetch }), open, 20);
      await until(() => api.seen.length >= 3);
      assert.equal(system.health()?.status, 'OK');
      setOpen(false);
      const asked = api.seen.length;
      await new Promise((resolve) => setTimeout(resolve, 80));
      assert.ok(api.seen.length <= asked + 1);
      dispose();
    });
  });

  it('when a check fails after a good one, then the last answer stays with the problem beside it', async () => {
    let fail = false;
    const api = fakeFetch(() => (fail ? new TypeError('Failed to fetch') : { data: { health } }));
    await createRoot(async (dispose) => {
      const system = createSystemHealth(
        createGraphQLClient({ fetch: api.fetch }),
        () => true,
        10_000,
      );
      await until(() => system.health() !== undefined);
      fail = true;
      system.refresh();
      await until(() => system.problem() !== undefined);
      assert.equal(system.health()?.status, 'OK');
      assert.equal(system.problem()?.code, 'NETWORK');
      dispose();
    });
  });
});

describe('upload limits', () => {
  it('when the server tells its limits, then they are there; when it cannot, they are unknown', async () => {
    const good = fakeFetch(() => ({ data: { uploadLimits: { maxFileSize: 1024, maxFiles: 5 } } }));
    const bad = fakeFetch(() => new TypeError('Failed to fetch'));
    await createRoot(async (dispose) => {
      const limits = createUploadLimits(createGraphQLClient({ fetch: good.fetch }));
      const unknown = createUploadLimits(createGraphQLClient({ fetch: bad.fetch }));
      await until(() => limits() !== undefined);
      assert.deepEqual(limits(), { maxFileSize: 1024, maxFiles: 5 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(unknown(), undefined);
      dispose();
    });
  });
});

describe('names and formats', () => {
  it('splits full names into folder and base name', () => {
    assert.equal(folderOf('photos/2024/beach.jpg'), 'photos/2024/');
    assert.equal(folderOf('top.txt'), '');
    assert.equal(baseName('photos/2024/beach.jpg'), 'beach.jpg');
    assert.deepEqual(crumbsOf('a/b/'), [
      { name: 'a', path: 'a/' },
      { name: 'b', path: 'a/b/' },
    ]);
  });

  it('gives a renamed folder its place beside the old one, or deeper when the name has a "/"', () => {
    assert.equal(renamedFolder('photos/2024/', 'summer'), 'photos/summer/');
    assert.equal(renamedFolder('photos/', ' archive/photos/ '), 'archive/photos/');
    assert.equal(renamedFolder('photos/', '  /  '), undefined);
  });

  it('puts a file from a picked folder into the current folder plus its relative folder', () => {
    assert.equal(uploadPrefix('docs/', 'trip/day 1/ünï.jpg'), 'docs/trip/day 1/');
    assert.equal(uploadPrefix('', 'single.txt'), '');
  });

  it('knows which files it can preview', () => {
    assert.equal(kindOf({ contentType: 'image/png', name: 'a' }), 'image');
    assert.equal(kindOf({ contentType: 'application/octet-stream', name: 'notes.md' }), 'text');
    assert.equal(kindOf({ contentType: 'application/pdf', name: 'a' }), 'pdf');
    assert.equal(kindOf({ contentType: 'application/zip', name: 'a.zip' }), 'archive');
    assert.equal(kindOf({ contentType: 'application/octet-stream', name: 'a.bin' }), 'other');
  });

  it('leaves a URL the server already versions alone', () => {
    assert.equal(versionedUrl({ url: '/download/x?v=abc', checksum: 'def' }), '/download/x?v=abc');
    assert.equal(versionedUrl({ url: '/download/x', checksum: 'def' }), '/download/x?v=def');
  });

  it('writes sizes, durations and counts for people', () => {
    assert.equal(formatSize(0), '0 B');
    assert.equal(formatSize(999), '999 B');
    assert.equal(formatSize(1234), '1.2 kB');
    assert.equal(formatSize(56_000_000), '56 MB');
    assert.equal(formatSize(3 * 1024 ** 3), '3.2 GB');
    assert.equal(formatDuration(75), '1 min 15 s');
    assert.equal(formatDuration(Number.NaN), undefined);
    assert.equal(plural(1, 'file'), '1 file');
    assert.equal(plural(100000, 'file'), '100,000 files');
  });
});

describe('text preview', () => {
  it('asks for the start of the file only and says when there is more', async () => {
    let range: string | null = null;
    const fetchImpl = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      range = new Headers(init?.headers).get('range');
      return new Response('héllo', { status: 206 });
    }) as typeof fetch;
    const preview = await loadTextPreview('/download/x', 10_000_000, fetchImpl);
    assert.equal(range, 'bytes=0-262143');
    assert.deepEqual(preview, { text: 'héllo', truncated: true });
  });

  it('when the file is gone, then it says so', async () => {
    const fetchImpl = (async () => new Response('{}', { status: 404 })) as typeof fetch;
    await assert.rejects(loadTextPreview('/download/x', 5, fetchImpl), /gone/);
  });
});
