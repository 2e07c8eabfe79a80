import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { FilesClient } from '@filegraph/testing/filesClient';
import { signedAs, testCallers } from '@filegraph/testing/identity';
import { startMinio } from '@filegraph/processes/minio';
import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { s3Client } from './api/s3.ts';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/**
 * Data stored by filegraph before the catalogue (names were keys): a start
 * with the new code adopts every file where its bytes already are.
 */
describe('upgrading data stored under names', () => {
  it("when a data folder from before has files and catalog.sqlite, then every file is the first admin's, listed with its metadata, and reads back", async () => {
    const data = await tempDir('legacy-disk');
    const created = Date.UTC(2025, 5, 1);
    const files: Array<[string, string, string]> = [
      ['notes/todo.txt', 'text/plain', 'buy milk'],
      ['photos/2024/beach.jpg', 'image/jpeg', 'not really a jpeg'],
      ['top.bin', 'application/octet-stream', '\u0000\u0001'],
    ];
    // The layout the disk driver wrote: files under their names, and its catalogue.
    const old = new DatabaseSync(join(data.path, 'catalog.sqlite'));
    old.exec(`CREATE TABLE files (name TEXT PRIMARY KEY, folded TEXT NOT NULL, size INTEGER NOT NULL,
      content_type TEXT NOT NULL, checksum TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    for (const [name, type, content] of files) {
      await mkdir(join(data.path, 'files', name, '..'), { recursive: true });
      await writeFile(join(data.path, 'files', name), content);
      old
        .prepare('INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(
          name,
          name.toLowerCase(),
          Buffer.byteLength(content),
          type,
          sha256(content),
          created,
          created,
        );
    }
    old.close();
    const service = await startService('files', { STORAGE: 'disk', DATA_DIR: data.path });
    try {
      const api = new FilesClient(service.url, { headers: signedAs(testCallers.admin) });
      // Files from before accounts are the first admin's; a member sees none of them.
      assert.deepEqual(await api.as(signedAs(testCallers.alice)).all(), []);
      const listed = await api.all();
      assert.deepEqual(
        listed.map((f) => [f.name, f.contentType, f.checksum, f.createdAt]),
        files
          .map(([name, type, content]) => [
            name,
            type,
            sha256(content),
            new Date(created).toISOString(),
          ])
          .sort(),
      );
      for (const file of listed) {
        const content = files.find(([name]) => name === file.name)?.[2];
        assert.equal(await (await api.download(file.url)).text(), content);
      }
      const [first] = listed;
      const renamed = await api.rename(first?.id ?? '', 'moved/elsewhere.txt');
      assert.equal(renamed.data?.renameFile.id, first?.id);
      await service.stop();
      // A second start adopts nothing again: ids and names stay as they are.
      const again = await startService('files', { STORAGE: 'disk', DATA_DIR: data.path });
      try {
        assert.deepEqual(
          (await new FilesClient(again.url, { headers: signedAs(testCallers.admin) }).all())
            .map((f) => f.id)
            .sort(),
          listed.map((f) => f.id).sort(),
        );
      } finally {
        await again.stop();
      }
    } finally {
      await service.stop();
      await data.remove();
    }
  });

  it('when a bucket from before holds files under their names, then they are adopted with their SHA-256 and times', async () => {
    const data = await tempDir('legacy-minio');
    const minio = await startMinio(join(data.path, 'minio'));
    const s3 = s3Client(minio);
    await s3.makeBucket('filegraph', 'us-east-1');
    const when = '2025-06-01T00:00:00.000Z';
    await s3.putObject('filegraph', 'docs/plan.md', Buffer.from('# plan'), 6, {
      'Content-Type': 'text/markdown',
      'X-Amz-Meta-sha256': sha256('# plan'),
      'X-Amz-Meta-created-at': when,
      'X-Amz-Meta-updated-at': when,
    });
    // Written by another tool, with no metadata of ours: hashed on adoption.
    await s3.putObject('filegraph', 'dropped in.txt', Buffer.from('by hand'), 7);
    const service = await startService('files', { ...minio.filesEnv(), DATA_DIR: data.path });
    try {
      const listed = await new FilesClient(service.url, {
        headers: signedAs(testCallers.admin),
      }).all();
      assert.deepEqual(
        listed.map((f) => [f.name, f.checksum, f.contentType]),
        [
          ['docs/plan.md', sha256('# plan'), 'text/markdown'],
          ['dropped in.txt', sha256('by hand'), 'text/plain'],
        ],
      );
      assert.equal(listed[0]?.createdAt, when);
    } finally {
      await service.stop();
      await minio.stop();
      await data.remove();
    }
  });
});
