import { batch, createMemo, type Accessor } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import {
  createRequest,
  makeOperation,
  type AnyVariables,
  type Client,
  type GraphQLRequest,
  type OperationResult,
} from '@urql/core';
import { uploadHeaders } from '../graphql/client.ts';
import { replaceFileMutation, uploadFilesMutation } from '../graphql/operations.ts';
import { problemOf, type Problem } from '../graphql/problems.ts';
import type { FileNode, UploadLimits } from '../graphql/types.ts';
import type { UploadProgress, XhrRequestInit } from '../graphql/xhrFetch.ts';
import { formatSize } from '../ui/format.ts';

export type UploadStatus = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

export interface UploadEntry {
  readonly key: number;
  readonly file: File;
  /** Where it lands: prefix + the file's name (or the replaced file's name). */
  readonly name: string;
  readonly prefix: string;
  /** Set when this replaces an existing file's content. */
  readonly replaceId?: string;
  readonly status: UploadStatus;
  readonly overwrite: boolean;
  readonly loaded: number;
  readonly total: number;
  /** Bytes per second, smoothed. */
  readonly speed: number;
  readonly secondsLeft: number;
  readonly problem?: Problem;
  /** A retry cannot help (the file is over the limit). */
  readonly final?: boolean;
  readonly result?: FileNode;
}

export interface UploadTotals {
  readonly loaded: number;
  readonly total: number;
  readonly active: number;
  readonly done: number;
  readonly failed: number;
  readonly count: number;
  /** Bytes per second of all uploads running now. */
  readonly speed: number;
}

export interface UploadQueue {
  readonly entries: readonly UploadEntry[];
  readonly totals: Accessor<UploadTotals>;
  /** Queues files for `prefix`; files over the limit are refused at once, without a request. */
  add(files: ReadonlyArray<{ file: File; prefix: string }>): void;
  /** Queues new content for an existing file. */
  replace(target: FileNode, file: File): void;
  cancel(key: number): void;
  retry(key: number, options?: { overwrite?: boolean }): void;
  dismiss(key: number): void;
  /** Forgets finished, failed and cancelled entries. */
  clearFinished(): void;
}

export interface UploadQueueOptions {
  readonly limits: Accessor<UploadLimits | undefined>;
  /** Files sent at the same time, one request each. */
  readonly concurrency?: number;
  readonly onUploaded?: (file: FileNode, entry: UploadEntry) => void;
  readonly now?: () => number;
}

interface Sample {
  time: number;
  loaded: number;
}

/**
 * Uploads as a queue of single-file GraphQL multipart requests, so each file
 * has its own progress, speed, time left, cancel and retry, and one failure
 * leaves the others alone.
 */
export function createUploadQueue(client: Client, options: UploadQueueOptions): UploadQueue {
  const concurrency = options.concurrency ?? 3;
  const now = options.now ?? (() => performance.now());
  const [entries, setEntries] = createStore<UploadEntry[]>([]);
  const running = new Map<number, () => void>();
  const samples = new Map<number, Sample>();
  let nextKey = 1;

  const indexOf = (key: number) => entries.findIndex((entry) => entry.key === key);
  const patch = (key: number, change: Partial<UploadEntry>) => {
    const index = indexOf(key);
    if (index >= 0) setEntries(index, (entry) => ({ ...entry, ...change }));
  };

  function tooLarge(file: File): Problem | undefined {
    const limit = options.limits()?.maxFileSize;
    if (limit === undefined || file.size <= limit) return undefined;
    return {
      code: 'PAYLOAD_TOO_LARGE',
      message: `Too large: ${formatSize(file.size)}; the server accepts files up to ${formatSize(limit)}.`,
    };
  }

  /** XHR counts the whole multipart body: scaled here to the file's own bytes. */
  function progress(key: number, { loaded: sent, total: body }: UploadProgress): void {
    const entry = entries[indexOf(key)];
    if (!entry || entry.status !== 'uploading') return;
    const fraction = body > 0 && Number.isFinite(body) ? Math.min(1, sent / body) : 0;
    const loaded = Math.round(fraction * entry.total);
    const time = now();
    const last = samples.get(key);
    let speed = entry.speed;
    // Speed from samples at least 200 ms apart, smoothed so the numbers do not jump.
    if (!last) samples.set(key, { time, loaded });
    else if (time - last.time >= 200) {
      const current = ((loaded - last.loaded) * 1000) / (time - last.time);
      speed = speed > 0 ? speed * 0.7 + current * 0.3 : current;
      samples.set(key, { time, loaded });
    }
    patch(key, {
      loaded,
      speed,
      secondsLeft: speed > 0 ? (entry.total - loaded) / speed : Number.NaN,
    });
  }

  function settle(key: number, result: OperationResult): void {
    const data = result.data as
      { replaceFile?: FileNode; uploadFiles?: FileNode[] } | null | undefined;
    const file = data?.replaceFile ?? data?.uploadFiles?.[0];
    const entry = entries[indexOf(key)];
    if (!entry) return;
    if (result.error || !file) {
      patch(key, {
        status: 'failed',
        problem: result.error
          ? problemOf(result.error)
          : { code: 'UNKNOWN', message: 'The server did not confirm the upload.' },
      });
      return;
    }
    patch(key, { status: 'done', loaded: entry.total, secondsLeft: 0, result: file });
    options.onUploaded?.(file, entry);
  }

  function start(entry: UploadEntry): void {
    const key = entry.key;
    samples.delete(key);
    patch(key, {
      status: 'uploading',
      loaded: 0,
      speed: 0,
      secondsLeft: Number.NaN,
      problem: undefined,
    });
    const fetchOptions: XhrRequestInit = {
      headers: uploadHeaders,
      onUploadProgress: (update) => progress(key, update),
    };
    const request: GraphQLRequest<FileNode, AnyVariables> = entry.replaceId
      ? createRequest(replaceFileMutation, { id: entry.replaceId, file: entry.file })
      : createRequest(uploadFilesMutation, {
          files: [entry.file],
          prefix: entry.prefix || null,
          overwrite: entry.overwrite,
        });
    const operation = client.createRequestOperation('mutation', request, { fetchOptions });
    let finished = false;
    const onResult = (result: OperationResult) => {
      if (finished) return;
      finished = true;
      running.delete(key);
      queueMicrotask(() => subscription.unsubscribe());
      settle(key, result);
      pump();
    };
    const subscription = client.executeRequestOperation(operation).subscribe(onResult);
    running.set(key, () => {
      finished = true;
      subscription.unsubscribe();
      // urql does not abort a mutation when its result is unsubscribed; a teardown does.
      client.reexecuteOperation(makeOperation('teardown', operation, operation.context));
    });
  }

  function pump(): void {
    for (const entry of entries) {
      if (running.size >= concurrency) return;
      if (entry.status === 'queued' && !running.has(entry.key)) start(entry);
    }
  }

  function enqueue(items: UploadEntry[]): void {
    setEntries(produce((list) => void list.push(...items)));
    pump();
  }

  function entryFor(file: File, prefix: string, name: string, replaceId?: string): UploadEntry {
    const refused = tooLarge(file);
    return {
      key: nextKey++,
      file,
      name,
      prefix,
      ...(replaceId ? { replaceId } : {}),
      status: refused ? 'failed' : 'queued',
      overwrite: false,
      loaded: 0,
      total: file.size,
      speed: 0,
      secondsLeft: Number.NaN,
      ...(refused ? { problem: refused, final: true } : {}),
    };
  }

  const totals = createMemo<UploadTotals>(() => {
    let loaded = 0;
    let total = 0;
    let active = 0;
    let done = 0;
    let failed = 0;
    let count = 0;
    let speed = 0;
    for (const entry of entries) {
      if (entry.status === 'cancelled') continue;
      count += 1;
      if (entry.status === 'failed') {
        failed += 1;
        continue;
      }
      loaded += entry.status === 'done' ? entry.total : entry.loaded;
      total += entry.total;
      if (entry.status === 'done') done += 1;
      else active += 1;
      if (entry.status === 'uploading') speed += entry.speed;
    }
    return { loaded, total, active, done, failed, count, speed };
  });

  return {
    entries,
    totals,
    add(files) {
      enqueue(files.map(({ file, prefix }) => entryFor(file, prefix, prefix + file.name)));
    },
    replace(target, file) {
      enqueue([entryFor(file, '', target.name, target.id)]);
    },
    cancel(key) {
      const stop = running.get(key);
      running.delete(key);
      stop?.();
      const entry = entries[indexOf(key)];
      if (entry && (entry.status === 'queued' || entry.status === 'uploading')) {
        patch(key, { status: 'cancelled', speed: 0 });
      }
      pump();
    },
    retry(key, retryOptions = {}) {
      const entry = entries[indexOf(key)];
      if (!entry || entry.final || (entry.status !== 'failed' && entry.status !== 'cancelled'))
        return;
      patch(key, {
        status: 'queued',
        problem: undefined,
        loaded: 0,
        overwrite: retryOptions.overwrite ?? entry.overwrite,
      });
      pump();
    },
    dismiss(key) {
      const entry = entries[indexOf(key)];
      if (!entry || entry.status === 'uploading' || entry.status === 'queued') return;
      setEntries((list) => list.filter((item) => item.key !== key));
    },
    clearFinished() {
      batch(() =>
        setEntries((list) =>
          list.filter((entry) => entry.status === 'queued' || entry.status === 'uploading'),
        ),
      );
    },
  };
}
