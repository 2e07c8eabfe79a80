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
  it('when files for two folders are added, then each folder has its own multipart request with the preflight header and the folder as prefix', async () => {
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

  it('when small files are added, then they share requests within the limits, large ones go alone, and each file shows its share of the progress', async () => {
    let report!: (loaded: number, total: number) => void;
    let finish!: () => void;
    const api = fakeFetch((request) =>
      request.files.length === 3
        ? new Promise((resolve) => {
            report = (loaded, total) => request.init.onUploadProgress?.({ loaded, total });
            finish = () => resolve(uploaded(request));
          })
        : uploaded(request),
    );
    await createRoot(async (dispose) => {
      const done: string[] = [];
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => ({ maxFileSize: 1000, maxFiles: 3 }),
        batching: { maxFiles: 50, maxBytes: 1000, largeFile: 100 },
        onUploaded: (node) => done.push(node.name),
      });
      queue.add([
        { file: file('a.txt', 10), prefix: 'docs/' },
        { file: file('b.txt', 20), prefix: 'docs/' },
        { file: file('large.bin', 500), prefix: 'docs/' },
        { file: file('c.txt', 30), prefix: 'docs/' },
        { file: file('d.txt', 40), prefix: 'docs/' },
      ]);
      await until(() => api.seen.length === 3);
      assert.deepEqual(
        api.seen.map((request) => request.files.map((sent) => sent.name)),
        [['a.txt', 'b.txt', 'c.txt'], ['large.bin'], ['d.txt']],
        'three small files (the server takes 3 at most), then the large one alone, then the rest',
      );
      // Half the body sent: 30 of the batch's 60 content bytes, the first file's first.
      report(500, 1000);
      assert.deepEqual(
        queue.entries.slice(0, 2).map((entry) => entry.loaded),
        [10, 20],
      );
      assert.equal(queue.entries[3]?.loaded, 0);
      finish();
      await until(() => queue.totals().done === 5);
      assert.deepEqual(done.sort(), [
        'docs/a.txt',
        'docs/b.txt',
        'docs/c.txt',
        'docs/d.txt',
        'docs/large.bin',
      ]);
      assert.deepEqual(
        queue.entries.map((entry) => entry.result?.name),
        queue.entries.map((entry) => entry.name),
        'each file gets its own answer',
      );
      dispose();
    });
  });

  it("when a batch is refused as a whole, then each of its files fails with the server's message and a retry re-sends just that file", async () => {
    const refusal =
      'A file named "b.txt" already exists; pass overwrite: true to replace it. No file of this request was kept.';
    const api = fakeFetch((request) =>
      request.files.some((sent) => sent.name === 'b.txt') && !request.variables.overwrite
        ? { errors: [{ message: refusal, extensions: { code: 'CONFLICT' } }] }
        : uploaded(request),
    );
    await createRoot(async (dispose) => {
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => limits,
      });
      queue.add([
        { file: file('a.txt', 3), prefix: '' },
        { file: file('b.txt', 3), prefix: '' },
      ]);
      await until(() => queue.totals().active === 0);
      assert.equal(api.seen.length, 1);
      for (const entry of queue.entries) {
        assert.equal(entry.status, 'failed');
        assert.deepEqual(entry.problem, { code: 'CONFLICT', message: refusal });
      }
      queue.retry(queue.entries[0]?.key ?? 0);
      await until(() => queue.entries[0]?.status === 'done');
      assert.deepEqual(
        api.seen[1]?.files.map((sent) => sent.name),
        ['a.txt'],
      );
      assert.equal(queue.entries[1]?.status, 'failed');
      queue.retry(queue.entries[1]?.key ?? 0, { overwrite: true });
      await until(() => queue.entries[1]?.status === 'done');
      assert.deepEqual(
        api.seen[2]?.files.map((sent) => sent.name),
        ['b.txt'],
      );
      assert.equal(api.seen[2]?.variables.overwrite, true);
      dispose();
    });
  });

  it('when the server goes away mid-upload, then the files fail with a reason and retrying all failed sends them again together', async () => {
    let down = true;
    const api = fakeFetch((request) =>
      down ? new TypeError('Failed to fetch') : uploaded(request),
    );
    await createRoot(async (dispose) => {
      const queue = createUploadQueue(createGraphQLClient({ fetch: api.fetch }), {
        limits: () => limits,
      });
      queue.add([
        { file: file('a.txt', 3), prefix: '' },
        { file: file('b.txt', 3), prefix: '' },
        { file: file('huge.bin', 5000), prefix: '' },
      ]);
      await until(() => queue.totals().active === 0);
      assert.deepEqual(
        queue.entries.map((entry) => entry.problem?.code),
        ['NETWORK', 'NETWORK', 'PAYLOAD_TOO_LARGE'],
      );
      assert.equal(queue.totals().retryable, 2);
      down = false;
      const sent = api.seen.length;
      queue.retryFailed();
      await until(() => queue.totals().done === 2);
      assert.equal(api.seen.length, sent + 1);
      assert.deepEqual(
        api.seen.at(-1)?.files.map((sent) => sent.name),
        ['a.txt', 'b.txt'],
      );
      assert.equal(queue.entries[2]?.status, 'failed', 'a retry cannot help a file over the limit');
      dispose();
    });
  });

  it('when a file in a batch is cancelled, then its request is aborted and the others in it go again without it', async () => {
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
      assert.deepEqual(
        api.seen.map((request) => request.files.map((sent) => sent.name)),
        [['slow.txt', 'next.txt'], ['next.txt']],
      );
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
