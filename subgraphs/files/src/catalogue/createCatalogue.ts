import { join, resolve } from 'node:path';
import type { Logger } from '@filegraph/shared/logger';
import type { FilesConfig } from '../config.ts';
import type { Catalogue } from './Catalogue.ts';
import { SqliteCatalogue } from './sqlite/SqliteCatalogue.ts';

/**
 * How long a replaced version's bytes stay: a download that was given the
 * old key (or a presigned URL to it) a moment before the replace still gets
 * those bytes. Longer than a presigned URL lives (60 s).
 */
export const keepReplacedMs = 10 * 60_000;

/** The configured catalogue. node-postgres is loaded only when used. */
export async function createCatalogue(config: FilesConfig, logger: Logger): Promise<Catalogue> {
  const log = logger.child({ catalogue: config.catalogue });
  if (config.catalogue === 'sqlite')
    return new SqliteCatalogue(
      join(resolve(config.dataDir), 'catalogue.sqlite'),
      { keepReplacedMs },
      log,
    );
  const { PostgresCatalogue } = await import('./postgres/PostgresCatalogue.ts');
  return new PostgresCatalogue(
    {
      url: config.databaseUrl as URL,
      poolSize: config.databasePoolSize,
      timeoutMs: config.databaseTimeout,
      keepReplacedMs,
    },
    log,
  );
}
