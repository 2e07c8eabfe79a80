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
import { ReplaceFileDocument, UploadFilesDocument } from '../graphql/generated.ts';
import { problemOf, type Problem } from '../graphql/problems.ts';
import type { FileNode, UploadLimits } from '../graphql/types.ts';
import type { UploadProgress, XhrRequestInit } from '../graphql/xhrFetch.ts';
import { formatSize } from '../ui/format.ts';
import { batchLimitsFor, planBatches, spreadProgress, type BatchLimits } from './batches.ts';

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
  /** Bytes per second, smoothed (its share by bytes of its request's speed). */
  readonly speed: number;
  /** Until its request is done: a file in a batch is stored when the whole batch is. */
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
  /** Failed ones a retry can help. */
  readonly retryable: number;
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
  /** Stops one file; the others of its request go again without it. */
  cancel(key: number): void;
  retry(key: number, options?: { overwrite?: boolean }): void;
  /** Queues every failed file that a retry can help again (they are batched anew). */
  retryFailed(): void;
  dismiss(key: number): void;
  /** Forgets finished, failed and cancelled entries. */
  clearFinished(): void;
}

export interface UploadQueueOptions {
  readonly limits: Accessor<UploadLimits | undefined>;
  /** Requests under way at the same time. */
  readonly concurrency?: number;
  /** How small files are grouped; the server's maxFiles caps the count. */
  readonly batching?: BatchLimits;
  readonly onUploaded?: (file: FileNode, entry: UploadEntry) => void;
  readonly now?: () => number;
}

interface Sample {
  time: number;
  sent: number;
}

/** One request under way: one file, or a batch of small ones for the same folder. */
interface Job {
  readonly keys: readonly number[];
  readonly sizes: readonly number[];
  readonly bytes: number;
  speed: number;
  sample?: Sample;
  stop(): void;
}

/**
 * Uploads as a queue of GraphQL multipart requests: small files for the
 * same folder share a request (see batches.ts), a large file or a
 * replacement has its own. Each file still shows its own progress, speed
 * and time left, and can be cancelled and retried on its own. The server
 * keeps a request's files all or none, so a failed request fails each of
 * its files with the server's message; other requests go on.
 */
export function createUploadQueue(client: Client, options: UploadQueueOptions): UploadQueue {
  const concurrency = options.concurrency ?? 3;
  const now = options.now ?? (() => performance.now());
  const [entries, setEntries] = createStore<UploadEntry[]>([]);
  /** Each uploading entry's request. */
  const running = new Map<number, Job>();
  const jobs = new Set<Job>();
  /** Where each key is in `entries`, so a batch's progress does not search 10,000 entries per file. */
  let positions = new Map<number, number>();
  let nextKey = 1;

  const indexOf = (key: number) => {
    const index = positions.get(key);
    return index !== undefined && entries[index]?.key === key ? index : -1;
  };
  const patch = (key: number, change: Partial<UploadEntry>) => {
    const index = indexOf(key);
    if (index >= 0) setEntries(index, (entry) => ({ ...entry, ...change }));
  };
  const keep = (test: (entry: UploadEntry) => boolean) => {
    setEntries((list) => list.filter(test));
    positions = new Map(entries.map((entry, index) => [entry.key, index]));
  };

  function tooLarge(file: File): Problem | undefined {
    const limit = options.limits()?.maxFileSize;
    if (limit === undefined || file.size <= limit) return undefined;
    return {
      code: 'PAYLOAD_TOO_LARGE',
      message: `Too large: ${formatSize(file.size)}; the server accepts files up to ${formatSize(limit)}.`,
    };
  }

  /** XHR counts the whole multipart body: scaled here to the files' own bytes, spread over them in order. */
  function progress(job: Job, { loaded: body, total: bodyTotal }: UploadProgress): void {
    if (!jobs.has(job)) return;
    const fraction =
      bodyTotal > 0 && Number.isFinite(bodyTotal) ? Math.min(1, body / bodyTotal) : 0;
    const sent = fraction * job.bytes;
    const time = now();
    // Speed from samples at least 200 ms apart, smoothed so the numbers do not jump.
    if (!job.sample) job.sample = { time, sent };
    else if (time - job.sample.time >= 200) {
      const current = ((sent - job.sample.sent) * 1000) / (time - job.sample.time);
      job.speed = job.speed > 0 ? job.speed * 0.7 + current * 0.3 : current;
      job.sample = { time, sent };
    }
    const loaded = spreadProgress(job.sizes, sent);
    const secondsLeft = job.speed > 0 ? (job.bytes - sent) / job.speed : Number.NaN;
    batch(() =>
      job.keys.forEach((key, index) => {
        if (entries[indexOf(key)]?.status !== 'uploading') return;
        patch(key, {
          loaded: Math.round(loaded[index] ?? 0),
          speed: job.bytes > 0 ? (job.speed * (job.sizes[index] ?? 0)) / job.bytes : 0,
          secondsLeft,
        });
      }),
    );
  }

  function release(job: Job): void {
    jobs.delete(job);
    for (const key of job.keys) if (running.get(key) === job) running.delete(key);
  }

  function settle(job: Job, result: OperationResult): void {
    const data = result.data as
      { replaceFile?: FileNode; uploadFiles?: FileNode[] } | null | undefined;
    // The server answers with the stored files in the order they were sent.
    const stored = data?.replaceFile ? [data.replaceFile] : (data?.uploadFiles ?? []);
    const problem: Problem = result.error
      ? problemOf(result.error)
      : { code: 'UNKNOWN', message: 'The server did not confirm the upload.' };
    const uploaded: Array<[FileNode, UploadEntry]> = [];
    batch(() =>
      job.keys.forEach((key, index) => {
        const entry = entries[indexOf(key)];
        if (!entry || entry.status !== 'uploading') return;
        const file = result.error ? undefined : stored[index];
        if (!file) {
          patch(key, { status: 'failed', speed: 0, problem });
          return;
        }
        patch(key, { status: 'done', loaded: entry.total, speed: 0, secondsLeft: 0, result: file });
        uploaded.push([file, entry]);
      }),
    );
    for (const [file, entry] of uploaded) options.onUploaded?.(file, entry);
  }

  function start(group: readonly UploadEntry[]): void {
    const first = group[0];
    if (!first) return;
    const keys = group.map((entry) => entry.key);
    const sizes = group.map((entry) => entry.total);
    const job: Job = {
      keys,
      sizes,
      bytes: sizes.reduce((sum, size) => sum + size, 0),
      speed: 0,
      stop: () => {},
    };
    jobs.add(job);
    batch(() => {
      for (const key of keys) {
        running.set(key, job);
        patch(key, {
          status: 'uploading',
          loaded: 0,
          speed: 0,
          secondsLeft: Number.NaN,
          problem: undefined,
        });
      }
    });
    const fetchOptions: XhrRequestInit = {
      headers: uploadHeaders,
      onUploadProgress: (update) => progress(job, update),
    };
    const request: GraphQLRequest<FileNode, AnyVariables> = first.replaceId
      ? createRequest(ReplaceFileDocument, { id: first.replaceId, file: first.file })
      : createRequest(UploadFilesDocument, {
          files: group.map((entry) => entry.file),
          prefix: first.prefix || null,
          overwrite: first.overwrite,
        });
    const operation = client.createRequestOperation('mutation', request, { fetchOptions });
    let finished = false;
    const onResult = (result: OperationResult) => {
      if (finished) return;
      finished = true;
      release(job);
      queueMicrotask(() => subscription.unsubscribe());
      settle(job, result);
      pump();
    };
    const subscription = client.executeRequestOperation(operation).subscribe(onResult);
    job.stop = () => {
      finished = true;
      release(job);
      subscription.unsubscribe();
      // urql does not abort a mutation when its result is unsubscribed; a teardown does.
      client.reexecuteOperation(makeOperation('teardown', operation, operation.context));
    };
  }

  function pump(): void {
    if (jobs.size >= concurrency) return;
    const waiting = entries.filter((entry) => entry.status === 'queued' && !running.has(entry.key));
    if (waiting.length === 0) return;
    const groups = planBatches(
      waiting.map((entry) => ({
        entry,
        name: entry.name,
        prefix: entry.prefix,
        size: entry.total,
        overwrite: entry.overwrite,
        alone: entry.replaceId !== undefined,
      })),
      batchLimitsFor(options.limits()?.maxFiles, options.batching),
    );
    for (const group of groups) {
      if (jobs.size >= concurrency) return;
      start(group.map((item) => item.entry));
    }
  }

  function enqueue(items: UploadEntry[]): void {
    const from = entries.length;
    items.forEach((item, index) => positions.set(item.key, from + index));
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

  const canRetry = (entry: UploadEntry | undefined): entry is UploadEntry =>
    entry !== undefined &&
    !entry.final &&
    (entry.status === 'failed' || entry.status === 'cancelled');

  const totals = createMemo<UploadTotals>(() => {
    let loaded = 0;
    let total = 0;
    let active = 0;
    let done = 0;
    let failed = 0;
    let retryable = 0;
    let count = 0;
    let speed = 0;
    for (const entry of entries) {
      if (entry.status === 'cancelled') continue;
      count += 1;
      if (entry.status === 'failed') {
        failed += 1;
        if (!entry.final) retryable += 1;
        continue;
      }
      loaded += entry.status === 'done' ? entry.total : entry.loaded;
      total += entry.total;
      if (entry.status === 'done') done += 1;
      else active += 1;
      if (entry.status === 'uploading') speed += entry.speed;
    }
    return { loaded, total, active, done, failed, retryable, count, speed };
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
      const entry = entries[indexOf(key)];
      if (!entry || (entry.status !== 'queued' && entry.status !== 'uploading')) return;
      const job = running.get(key);
      batch(() => {
        if (job) {
          job.stop();
          // The server keeps a request all or none: the others in it go again, without this one.
          for (const other of job.keys) {
            if (other !== key && entries[indexOf(other)]?.status === 'uploading') {
              patch(other, { status: 'queued', loaded: 0, speed: 0, secondsLeft: Number.NaN });
            }
          }
        }
        patch(key, { status: 'cancelled', speed: 0 });
      });
      pump();
    },
    retry(key, retryOptions = {}) {
      const entry = entries[indexOf(key)];
      if (!canRetry(entry)) return;
      patch(key, {
        status: 'queued',
        problem: undefined,
        loaded: 0,
        overwrite: retryOptions.overwrite ?? entry.overwrite,
      });
      pump();
    },
    retryFailed() {
      batch(() => {
        for (const entry of entries) {
          if (canRetry(entry) && entry.status === 'failed') {
            patch(entry.key, { status: 'queued', problem: undefined, loaded: 0 });
          }
        }
      });
      pump();
    },
    dismiss(key) {
      const entry = entries[indexOf(key)];
      if (!entry || entry.status === 'uploading' || entry.status === 'queued') return;
      keep((item) => item.key !== key);
    },
    clearFinished() {
      batch(() => keep((entry) => entry.status === 'queued' || entry.status === 'uploading'));
    },
  };
}
