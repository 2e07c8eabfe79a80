import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot, createSignal } from 'solid-js';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import type { UploadLimits } from '../../src/graphql/types.ts';
import { createUploadQueue } from '../../src/uploads/uploadQueue.ts';
import { fakeFetch, fileNode, until, type SeenRequest } from './fakeApi.ts';

const limits: UploadLimits = { maxFileSize: 1000, maxFiles: 10 };

function uploaded(request: SeenRequest) {
  const prefix = (request.variables.prefix as string | null) ?? '';
  return {
    data: { uploadFiles: request.files.map((file) => fileNode(prefix + file.name, file.size)) },
  };
}

function file(name: string, size: number): File {
  return new File([new Uint8Array(size)], name, { type: 'text/plain' });
}

describe('upload queue', () => {
  it('when files are added, then each goes in its own multipart request with the preflight header and its folder as prefix', async () => {
    const api = fakeFetch((request) => {
      request.init.onUploadProgress?.({
        loaded: request.files[0]?.size ?? 0,
        total: request.files[0]?.size ?? 0,
      });
      return uploaded(request);
    });
    await createRoot(async (dispose) => {
      const done: string[] = [];
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => limits,
        onUploaded: (node) => done.push(node.name),
      });
      queue.add([
        { file: file('a.txt', 10), prefix: '' },
        { file: file('b.txt', 0), prefix: 'photos/2024/' },
      ]);
      await until(() => queue.totals().done === 2);
      assert.equal(api.seen.length, 2);
      for (const request of api.seen) {
        assert.equal(request.operationName, 'UploadFiles');
        assert.equal(request.headers.get('apollo-require-preflight'), 'true');
        assert.equal(request.files.length, 1);
      }
      assert.equal(api.seen[1]?.variables.prefix, 'photos/2024/');
      assert.deepEqual(done.sort(), ['a.txt', 'photos/2024/b.txt']);
      assert.deepEqual(
        queue.entries.map((entry) => [entry.name, entry.status, entry.loaded, entry.total]),
        [
          ['a.txt', 'done', 10, 10],
          ['photos/2024/b.txt', 'done', 0, 0],
        ],
      );
      dispose();
    });
  });

  it('when a file is over the limit, then it is refused with the sizes and no request is sent', async () => {
    const api = fakeFetch((request) => uploaded(request));
    await createRoot(async (dispose) => {
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => limits,
      });
      queue.add([{ file: file('big.bin', 5000), prefix: '' }]);
      const entry = queue.entries[0];
      assert.equal(entry?.status, 'failed');
      assert.equal(entry?.problem?.code, 'PAYLOAD_TOO_LARGE');
      assert.match(entry?.problem?.message ?? '', /5\.0 kB.*1\.0 kB/);
      queue.retry(entry?.key ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(api.seen.length, 0);
      assert.equal(queue.entries[0]?.status, 'failed');
      dispose();
    });
  });

  it('when the name is taken, then the entry says so and a retry with overwrite sends overwrite: true', async () => {
    const api = fakeFetch((request) =>
      request.variables.overwrite
        ? uploaded(request)
        : { errors: [{ message: 'a.txt already exists', extensions: { code: 'CONFLICT' } }] },
    );
    await createRoot(async (dispose) => {
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => limits,
      });
      queue.add([{ file: file('a.txt', 3), prefix: '' }]);
      await until(() => queue.entries[0]?.status === 'failed');
      assert.deepEqual(queue.entries[0]?.problem, {
        code: 'CONFLICT',
        message: 'a.txt already exists',
      });
      queue.retry(queue.entries[0]?.key ?? 0, { overwrite: true });
      await until(() => queue.entries[0]?.status === 'done');
      assert.equal(api.seen[1]?.variables.overwrite, true);
      dispose();
    });
  });

  it('when the server goes away mid-upload, then the file fails with a reason and a retry sends only that file', async () => {
    let down = true;
    const api = fakeFetch((request) => {
      if (request.files[0]?.name === 'b.txt' && down) return new TypeError('Failed to fetch');
      return uploaded(request);
    });
    await createRoot(async (dispose) => {
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => limits,
      });
      queue.add([
        { file: file('a.txt', 3), prefix: '' },
        { file: file('b.txt', 3), prefix: '' },
      ]);
      await until(() => queue.totals().active === 0);
      assert.equal(queue.entries[0]?.status, 'done');
      assert.equal(queue.entries[1]?.status, 'failed');
      assert.equal(queue.entries[1]?.problem?.code, 'NETWORK');
      down = false;
      const sent = api.seen.length;
      queue.retry(queue.entries[1]?.key ?? 0);
      await until(() => queue.entries[1]?.status === 'done');
      assert.equal(api.seen.length, sent + 1);
      assert.equal(api.seen.at(-1)?.files[0]?.name, 'b.txt');
      dispose();
    });
  });

  it('when an upload is cancelled, then its request is aborted and the others go on', async () => {
    const api = fakeFetch(
      (request) =>
        new Promise((resolve, reject) => {
          if (request.files[0]?.name !== 'slow.txt') return resolve(uploaded(request));
          request.init.signal?.addEventListener('abort', () =>
            reject(new DOMException('The request was cancelled.', 'AbortError')),
          );
        }),
    );
    await createRoot(async (dispose) => {
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => limits,
        concurrency: 1,
      });
      queue.add([
        { file: file('slow.txt', 3), prefix: '' },
        { file: file('next.txt', 3), prefix: '' },
      ]);
      await until(() => api.seen.length === 1);
      const signal = api.seen[0]?.init.signal;
      queue.cancel(queue.entries[0]?.key ?? 0);
      await until(() => queue.entries[1]?.status === 'done');
      assert.equal(signal?.aborted, true);
      assert.equal(queue.entries[0]?.status, 'cancelled');
      assert.equal(queue.totals().count, 1);
      dispose();
    });
  });

  it('when progress is reported, then speed and time left follow it', async () => {
    let now = 0;
    let report!: (loaded: number) => void;
    let finish!: () => void;
    const api = fakeFetch(
      (request) =>
        new Promise((resolve) => {
          report = (loaded) => request.init.onUploadProgress?.({ loaded, total: 2000 });
          finish = () => resolve(uploaded(request));
        }),
    );
    await createRoot(async (dispose) => {
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => limits,
        now: () => now,
      });
      queue.add([{ file: file('a.txt', 1000), prefix: '' }]);
      await until(() => api.seen.length === 1);
      report(0);
      now = 1000;
      report(500);
      const entry = queue.entries[0];
      assert.equal(entry?.loaded, 250);
      assert.equal(entry?.speed, 250);
      assert.equal(entry?.secondsLeft, 3);
      assert.equal(queue.totals().loaded, 250);
      report(2000);
      assert.equal(
        queue.entries[0]?.loaded,
        1000,
        'progress counts the file, not the multipart body around it',
      );
      finish();
      await until(() => queue.entries[0]?.status === 'done');
      dispose();
    });
  });

  it('when the limits are not known yet, then files go out and the server decides', async () => {
    const api = fakeFetch((request) => uploaded(request));
    await createRoot(async (dispose) => {
      const [known] = createSignal<UploadLimits | undefined>(undefined);
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), { limits: known });
      queue.add([{ file: file('big.bin', 5000), prefix: '' }]);
      await until(() => queue.entries[0]?.status === 'done');
      dispose();
    });
  });

  it('when content is replaced, then replaceFile goes out with the id and the file', async () => {
    const api = fakeFetch((request) => ({
      data: { replaceFile: fileNode('keep.txt', request.files[0]?.size) },
    }));
    await createRoot(async (dispose) => {
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => limits,
      });
      queue.replace(fileNode('keep.txt'), file('anything.txt', 7));
      await until(() => queue.entries[0]?.status === 'done');
      assert.equal(api.seen[0]?.operationName, 'ReplaceFile');
      assert.equal(api.seen[0]?.variables.id, 'id:keep.txt');
      assert.equal(queue.entries[0]?.name, 'keep.txt');
      assert.equal(queue.entries[0]?.result?.size, 7);
      dispose();
    });
  });
});
