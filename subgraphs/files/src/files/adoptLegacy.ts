import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Logger } from '@filegraph/shared/logger';
import type { Adopted, Catalogue } from '../catalogue/Catalogue.ts';
import { isOwnKey } from '../storage/keys.ts';
import type { Storage, StoredObject } from '../storage/Storage.ts';
import { adoptObjects } from './reconcile.ts';

/**
 * What the disk store's catalogue knew before this catalogue existed
 * (DATA_DIR/catalog.sqlite): content types and checksums, so that files
 * are not read again to be hashed.
 */
function oldDiskCatalogue(dataDir: string): Map<string, Partial<Adopted>> {
  const known = new Map<string, Partial<Adopted>>();
  const path = join(dataDir, 'catalog.sqlite');
  if (!existsSync(path)) return known;
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db
      .prepare('SELECT name, content_type, checksum, created_at, updated_at FROM files')
      .all() as Array<{
      name: string;
      content_type: string;
      checksum: string;
      created_at: number;
      updated_at: number;
    }>;
    for (const row of rows)
      known.set(row.name, {
        contentType: row.content_type,
        checksum: row.checksum,
        createdAt: new Date(row.created_at),
        updatedAt: new Date(row.updated_at),
      });
  } finally {
    db.close();
  }
  return known;
}

/**
 * On the first start with this catalogue, files that an earlier filegraph
 * stored under their own names (DATA_DIR/files/<name> on disk, the bucket's
 * keys on S3) become files of the catalogue, ids and all, their bytes left
 * where they are. Runs once, ever, whichever replica comes first.
 */
export async function adoptLegacy(
  catalogue: Catalogue,
  storage: Storage,
  dataDir: string,
  logger: Logger,
): Promise<void> {
  await catalogue.upkeep.once('adopt files stored under their names', async () => {
    const legacy: StoredObject[] = [];
    for await (const object of storage.objects()) if (!isOwnKey(object.key)) legacy.push(object);
    if (legacy.length === 0) return;
    const known = storage.kind === 'disk' ? oldDiskCatalogue(dataDir) : new Map();
    const { adopted, skipped } = await adoptObjects(catalogue, storage, legacy, known);
    logger.info('adopted the files stored before the catalogue', {
      adopted,
      skipped: skipped.length,
    });
    for (const { key, why } of skipped) logger.warn('a stored file was not adopted', { key, why });
  });
}
