import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '@filegraph/testing/eventually';
import { FilesClient } from '@filegraph/testing/filesClient';
import { startMinio, type MinioServer } from '@filegraph/testing/minio';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { suiteEnv } from './filesApiSuite.ts';
import { s3Client } from './s3.ts';

describe('search over MinIO with the names index', () => {
  let data: { path: string; remove(): Promise<void> };
  let minio: MinioServer;
  let files: RunningService;
  let api: FilesClient;
  let s3: ReturnType<typeof s3Client>;
  const bucket = 'index-test';

  before(async () => {
    data = await tempDir('files-index');
    minio = await startMinio(data.path);
    files = await startService('files', {
      ...suiteEnv,
      ...minio.filesEnv(bucket),
      SEARCH_INDEX_REFRESH: '300ms',
    });
    api = new FilesClient(files.url);
    s3 = s3Client(minio);
  });

  after(async () => {
    await files?.stop();
    await minio?.stop();
    await data?.remove();
  });

  const found = async (search: string) =>
    (await api.all({ search })).map((file) => file.name).sort();

  it('when files change through the API, then search and size order see it at once', async () => {
    await api.put('Report-2026.pdf', 'a'.repeat(30));
    await api.put('report draft.txt', 'b'.repeat(10), { prefix: 'notes' });
    assert.deepEqual(await found('report'), ['Report-2026.pdf', 'notes/report draft.txt']);

    const [draft] = await api.all({ search: 'draft' });
    assert.ok(draft);
    const renamed = await api.rename(draft.id, 'notes/summary.txt');
    assert.equal(renamed.errors, undefined);
    assert.deepEqual(await found('report'), ['Report-2026.pdf']);
    assert.deepEqual(await found('summary'), ['notes/summary.txt']);

    const bySize = await api.all({ orderBy: { field: 'SIZE', direction: 'ASC' } });
    assert.deepEqual(
      bySize.map((file) => [file.name, file.size]),
      [
        ['notes/summary.txt', 10],
        ['Report-2026.pdf', 30],
      ],
    );

    const [report] = await api.all({ search: 'report' });
    assert.deepEqual((await api.delete([report?.id ?? ''])).data?.deleteFiles, [report?.id]);
    assert.deepEqual(await found('report'), []);
  });

  it('when another tool writes to the bucket, then search sees its files by the next refresh, and never shows one it removed', async () => {
    assert.deepEqual(await found('external'), []);
    await s3.putObject(bucket, 'external-1.txt', Buffer.from('from another tool'));
    await eventually('the index catches up with a file written past the API', async () =>
      (await found('external')).length === 1 ? true : undefined,
    );
    await s3.removeObject(bucket, 'external-1.txt');
    // Still in the index until the next refresh, but every listed file is looked up.
    assert.deepEqual(await found('external'), []);
  });
});
