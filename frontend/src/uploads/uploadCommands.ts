import type { Client } from '@urql/core';
import type { Listing } from '../files/listing.ts';
import { uploadPrefix } from '../files/names.ts';
import type { FileNode } from '../graphql/types.ts';
import { formatSize, plural } from '../ui/format.ts';
import type { Notify } from '../ui/notices.ts';
import type { Panels } from '../ui/panels.ts';
import type { PickedFile } from './pickedFiles.ts';
import { createUploadLimits } from './uploadLimits.ts';
import { createUploadQueue, type UploadQueue } from './uploadQueue.ts';

/** Uploads as the UI starts them: picked or dropped files, or new content for a file. */
export interface UploadCommands {
  readonly queue: UploadQueue;
  /** Queues files for `folder` (a picked or dropped folder's files go into their subfolders). */
  add(files: readonly PickedFile[], folder: string): void;
  replace(target: FileNode, file: File): void;
}

/** The files view follows finished uploads: a replaced file at once, new files in one reload. */
export function createUploadCommands(
  client: Client,
  deps: { listing: Listing; panels: Panels; notify: Notify },
): UploadCommands {
  const { listing, panels, notify } = deps;
  const limits = createUploadLimits(client);
  const queue = createUploadQueue(client, {
    limits,
    onUploaded(file, entry) {
      if (entry.replaceId) {
        listing.files.update(entry.replaceId, file);
        panels.followPreview(entry.replaceId, file);
      } else listing.reloadSoon();
    },
  });

  return {
    queue,
    add(files, folder) {
      if (files.length === 0) {
        notify('warning', 'Nothing to upload: no files were found in what was picked or dropped.');
        return;
      }
      queue.add(
        files.map(({ file, relativePath }) => ({
          file,
          prefix: uploadPrefix(folder, relativePath),
        })),
      );
      // The queue refuses these without a request; one notice says so for all of them.
      const limit = limits()?.maxFileSize;
      if (limit === undefined) return;
      const refused = files.filter(({ file }) => file.size > limit).length;
      if (refused > 0) {
        notify(
          'error',
          `${plural(refused, 'file')} over the ${formatSize(limit)} limit ${refused === 1 ? 'was' : 'were'} not sent.`,
        );
      }
    },
    replace: (target, file) => queue.replace(target, file),
  };
}
