import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mcBinary } from '@filegraph/processes/minio';
import { root } from '@filegraph/processes/root';

/**
 * Creates (or updates) the files replicas' MinIO user, limited to their
 * bucket, with minio/files-user.sh — the script compose's minio-init runs.
 */
export async function createFilesUser(options: {
  url: string;
  root: { user: string; password: string };
  files: { user: string; password: string };
  bucket: string;
  /** Where mc keeps its configuration (an alias with the root credentials): under DATA_DIR. */
  configDir: string;
}): Promise<void> {
  await promisify(execFile)(join(root, 'minio/files-user.sh'), [], {
    env: {
      PATH: process.env.PATH,
      MC_BIN: mcBinary(),
      MC_CONFIG_DIR: options.configDir,
      MINIO_URL: options.url,
      MINIO_ROOT_USER: options.root.user,
      MINIO_ROOT_PASSWORD: options.root.password,
      MINIO_FILES_USER: options.files.user,
      MINIO_FILES_PASSWORD: options.files.password,
      MINIO_BUCKET: options.bucket,
    },
    timeout: 30_000,
  });
}
