import { resolve } from 'node:path';
import type { Logger } from '@filegraph/shared/logger';
import type { FilesConfig } from '../config.ts';
import { DiskStorage } from './disk/DiskStorage.ts';
import type { Storage } from './Storage.ts';

/** S3 allows at most 10,000 parts per upload; parts grow to fit the largest file allowed. */
export function partSizeFor(configured: number, maxFileSize: number): number {
  return Math.max(configured, Math.ceil(maxFileSize / 10_000));
}

/** The configured driver. MinIO's client is loaded only when used: it costs ~18 MiB of memory. */
export async function createStorage(config: FilesConfig, logger: Logger): Promise<Storage> {
  const log = logger.child({ storage: config.storage });
  if (config.storage === 'disk') return new DiskStorage(resolve(config.dataDir), log);
  const { MinioStorage } = await import('./minio/MinioStorage.ts');
  return new MinioStorage(
    {
      endpoint: config.minioEndpoint,
      accessKey: config.minioAccessKey ?? '',
      secretKey: config.minioSecretKey ?? '',
      bucket: config.minioBucket,
      region: config.minioRegion,
      partSize: partSizeFor(config.minioPartSize, config.maxFileSize),
      partsInFlight: 2,
      idleTimeoutMs: 15_000,
      indexRefreshMs: config.searchIndexRefresh,
    },
    log,
  );
}
