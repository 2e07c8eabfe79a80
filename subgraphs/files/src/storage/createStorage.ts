import { resolve } from 'node:path';
import type { Logger } from '@filegraph/shared/logger';
import type { FilesConfig } from '../config.ts';
import { DiskStore } from './disk/DiskStore.ts';
import type { Storage } from './Storage.ts';

/** S3 allows at most 10,000 parts per upload; parts grow to fit the largest file allowed. */
export function partSizeFor(configured: number, maxFileSize: number): number {
  return Math.max(configured, Math.ceil(maxFileSize / 10_000));
}

/** The configured byte store. The S3 client is loaded only when used: it costs ~18 MiB of memory. */
export async function createStorage(config: FilesConfig, logger: Logger): Promise<Storage> {
  const log = logger.child({ storage: config.storage });
  if (config.storage === 'disk') return new DiskStore(resolve(config.dataDir));
  const { S3Store } = await import('./s3/S3Store.ts');
  return new S3Store(
    {
      endpoint: config.minioEndpoint,
      accessKey: config.minioAccessKey ?? '',
      secretKey: config.minioSecretKey ?? '',
      bucket: config.minioBucket,
      region: config.minioRegion,
      partSize: partSizeFor(config.minioPartSize, config.maxFileSize),
      partsInFlight: 2,
      idleTimeoutMs: 15_000,
    },
    log,
  );
}
