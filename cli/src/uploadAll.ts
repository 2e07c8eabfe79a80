import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { batchLimitsFor, planBatches } from '@filegraph/frontend/src/uploads/batches.ts';
import type { Client } from './Client.ts';
import { asCliError, exitCodes, localError, refused, type CliError } from './errors.ts';
import type { LocalFile } from './localFiles.ts';
import type { ApiFile } from './operations.ts';

export interface UploadOptions {
  readonly overwrite: boolean;
  /** Requests under way at once. */
  readonly parallel: number;
  /** The server's uploadLimits.maxFiles. */
  readonly maxFiles: number;
  /** What relative paths are relative to. */
  readonly cwd: string;
}

export interface UploadEvents {
  uploaded(local: LocalFile, file: ApiFile): void;
  failed(local: LocalFile, error: CliError): void;
  /** Bytes of file content sent so far, of all files. */
  progress(sent: number): void;
}

/** Refusals that one file of a batch can cause. */
const oneFileCodes = new Set(['CONFLICT', 'BAD_USER_INPUT', 'PAYLOAD_TOO_LARGE']);

/**
 * Uploads files in the web UI's batches (frontend/src/uploads/batches.ts:
 * small files for one folder share a request, a large one goes alone),
 * `parallel` requests at once, bytes streamed from disk. The server keeps a
 * request all or nothing; when one is refused for something a single file
 * can cause, its files go again one by one, so only the file at fault
 * fails. Once the server can't be reached, nothing more is sent.
 */
export async function uploadAll(
  client: Client,
  files: readonly LocalFile[],
  options: UploadOptions,
  events: UploadEvents,
): Promise<void> {
  const queue: LocalFile[][] = planBatches(
    files.map((file) => ({ ...file, overwrite: options.overwrite })),
    batchLimitsFor(options.maxFiles),
  );
  const sentOf = new Map<LocalFile, number>();
  let sent = 0;
  const count = (file: LocalFile, bytes: number) => {
    sentOf.set(file, (sentOf.get(file) ?? 0) + bytes);
    sent += bytes;
    events.progress(sent);
  };
  let unreachable: CliError | undefined;

  async function send(batch: LocalFile[]): Promise<void> {
    // A batch that goes again starts its files' bytes again.
    for (const file of batch) {
      sent -= sentOf.get(file) ?? 0;
      sentOf.delete(file);
    }
    const unreadable = new Map<LocalFile, CliError>();
    try {
      const stored = await client.upload(
        batch.map((file) => ({
          filename: file.filename,
          open: () => read(file, options.cwd, unreadable, count),
        })),
        { prefix: batch[0]?.prefix ?? '', overwrite: options.overwrite },
      );
      batch.forEach((file, index) => {
        const result = stored[index];
        if (result) events.uploaded(file, result);
        else events.failed(file, refused('INTERNAL_SERVER_ERROR', 'the server did not confirm it'));
      });
    } catch (caught) {
      const error = asCliError(caught);
      if (error.exitCode === exitCodes.unreachable) unreachable ??= error;
      else if (batch.length > 1 && (unreadable.size > 0 || oneFileCodes.has(error.code))) {
        queue.unshift(...batch.map((file) => [file]));
        return;
      }
      for (const file of batch) events.failed(file, unreadable.get(file) ?? error);
    }
  }

  async function worker(): Promise<void> {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      if (unreachable) for (const file of batch) events.failed(file, unreachable);
      else await send(batch);
    }
  }
  await Promise.all(Array.from({ length: options.parallel }, worker));
}

/**
 * A file's bytes from disk, counted as they go. A read error is kept for
 * the report and passed on: shared/src/multipart.ts then ends the body as
 * an unfinished upload, which the server refuses whole.
 */
async function* read(
  file: LocalFile,
  cwd: string,
  unreadable: Map<LocalFile, CliError>,
  count: (file: LocalFile, bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of createReadStream(resolve(cwd, file.path), {
      highWaterMark: 256 * 1024,
    })) {
      count(file, (chunk as Buffer).length);
      yield chunk as Buffer;
    }
  } catch (error) {
    unreadable.set(file, localError(`cannot read ${file.path}: ${(error as Error).message}`));
    throw error;
  }
}
