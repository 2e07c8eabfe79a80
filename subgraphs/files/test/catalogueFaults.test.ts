import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '@filegraph/testing/eventually';
import { scrape } from '@filegraph/testing/metrics';
import { errorCode, FilesClient } from '@filegraph/testing/filesClient';
import { signedAs, testCallers } from '@filegraph/testing/identity';
import { generatedContent } from '@filegraph/testing/graphql';
import { startMinio, type MinioServer } from '@filegraph/processes/minio';
import { startPostgres, type PostgresServer } from '@filegraph/processes/postgres';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { s3Client } from './api/s3.ts';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * The catalogue and the bytes stay true to each other when a part dies:
 * PostgreSQL stopped or killed mid-commit, a replica killed mid-upload,
 * MinIO killed mid-part. No listing ever shows a file whose bytes are
 * missing or wrong, and bytes no file uses are swept. Real processes, killed.
 */
describe('files when PostgreSQL, MinIO or the replica dies', () => {
  let data: { path: string; remove(): Promise<void> };
  let minio: MinioServer;
  let postgres: PostgresServer;
  let files: RunningService;
  let api: FilesClient;
  let env: Record<string, string>;

  before(async () => {
    data = await tempDir('catalogue-faults');
    minio = await startMinio(join(data.path, 'minio'));
    postgres = await startPostgres(join(data.path, 'postgres'));
    env = {
      ...minio.filesEnv(),
      ...postgres.filesEnv(),
      DATA_DIR: data.path,
      DATABASE_TIMEOUT: '1s',
      // Writes a dead replica began are given up after REQUEST_TIMEOUT + SWEEP_INTERVAL.
      REQUEST_TIMEOUT: '3s',
      SWEEP_INTERVAL: '300ms',
      MAX_FILE_SIZE: '64MiB',
    };
    files = await startService('files', env);
    api = new FilesClient(files.url, { headers: signedAs(testCallers.alice) });
  });
  after(async () => {
    await files?.stop();
    await postgres?.stop();
    await minio?.stop();
    await data?.remove();
  });

  /** Every listed file reads back whole, and every object in the bucket belongs to one of them. */
  async function consistent(): Promise<void> {
    const listed = await api.all();
    for (const file of listed) {
      const response = await api.download(file.url);
      assert.equal(response.status, 200, file.name);
      assert.equal(sha256(Buffer.from(await response.arrayBuffer())), file.checksum, file.name);
    }
    const used = new Set(
      (await postgres.query<{ key: string }>('SELECT object_key AS key FROM files')).map(
        (r) => r.key,
      ),
    );
    await eventually(
      'only bytes a file uses stay in the bucket',
      async () => {
        const keys: string[] = [];
        for await (const item of s3Client(minio).listObjectsV2('filegraph', '', true))
          keys.push(item.name as string);
        return keys.every((key) => used.has(key)) ? true : undefined;
      },
      20_000,
      200,
    );
  }

  it('when files are uploaded, then /metrics has each upload’s time under the size class of what it stored', async () => {
    const before = await scrape(files.url);
    const count = (series: Map<string, number>, size: string) =>
      series.get(`filegraph_upload_duration_seconds_count{size="${size}"}`) ?? 0;
    await api.put('small.txt', 'a few bytes', { prefix: 'timed' });
    const medium = await api.upload(
      [
        { filename: 'a.bin', content: generatedContent(2 ** 20, 1) },
        { filename: 'b.bin', content: generatedContent(2 ** 20, 2) },
      ],
      { prefix: 'timed' },
    );
    assert.equal(medium.errors, undefined);
    const after = await scrape(files.url);
    // One operation of 2 MiB in two files: one observation, medium.
    assert.equal(count(after, 'small') - count(before, 'small'), 1);
    assert.equal(count(after, 'medium') - count(before, 'medium'), 1);
    assert.ok((after.get('filegraph_upload_duration_seconds_sum{size="medium"}') ?? 0) > 0);
    assert.equal(
      after.get('filegraph_upload_duration_seconds_bucket{size="small",le="+Inf"}'),
      count(after, 'small'),
    );
  });

  it('when PostgreSQL stops, then every operation fails at once with UNAVAILABLE, and all is well when it is back', async () => {
    const kept = await api.put('kept.txt', 'kept', { prefix: 'outage' });
    await postgres.stop();
    const answers = {
      list: await api.list(),
      file: await api.file(kept.id),
      upload: await api.upload([{ filename: 'during.txt', content: 'x' }], { prefix: 'outage' }),
      rename: await api.rename(kept.id, 'outage/renamed.txt'),
      delete: await api.delete([kept.id]),
    };
    for (const [what, answer] of Object.entries(answers)) {
      assert.equal(errorCode(answer), 'UNAVAILABLE', what);
      assert.match(
        answer.errors?.[0]?.message ?? '',
        /catalogue .* (is not answering|did not answer)/,
        what,
      );
    }
    assert.equal((await api.download(kept.url)).status, 503);
    assert.equal((await fetch(`${files.url}/ready`)).status, 503);
    // What PostgresDown (ops/prometheus/rules) reads: the readiness check just made.
    const during = await scrape(files.url);
    assert.equal(during.get('filegraph_dependency_up{check="catalogue",dependency="postgres"}'), 0);
    assert.equal(during.get('filegraph_dependency_up{check="storage",dependency="minio"}'), 1);
    await postgres.restart();
    await eventually('the catalogue answers again', async () =>
      (await api.list()).errors === undefined ? true : undefined,
    );
    assert.deepEqual(
      (await api.all({ prefix: 'outage' })).map((f) => f.name),
      ['outage/kept.txt'],
    );
    assert.equal((await fetch(`${files.url}/ready`)).status, 200);
    const after = await scrape(files.url);
    assert.equal(after.get('filegraph_dependency_up{check="catalogue",dependency="postgres"}'), 1);
    await consistent();
  });

  it('when PostgreSQL is killed while uploads commit, then after it restarts no file lacks its bytes and no bytes lack a file', async () => {
    let stop = false;
    const uploads = (async () => {
      let i = 0;
      while (!stop) {
        i += 1;
        await api.upload([{ filename: `f${i}.bin`, content: generatedContent(200_000 + i, i) }], {
          prefix: 'crash',
        });
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await postgres.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await postgres.restart();
    await new Promise((resolve) => setTimeout(resolve, 700));
    stop = true;
    await uploads;
    assert.ok((await api.all({ prefix: 'crash' })).length > 0);
    await consistent();
  });

  it('when the replica is killed mid-upload, then the half-written bytes are swept once the write is given up', async () => {
    const upload = api.upload(
      [{ filename: 'half.bin', content: generatedContent(30 * 2 ** 20, 3, 1 << 16) }],
      { prefix: 'killed' },
    );
    await eventually('the write has begun', async () =>
      (await postgres.query('SELECT 1 FROM writes')).length > 0 ? true : undefined,
    );
    files.process.kill('SIGKILL');
    await upload.catch(() => {});
    files = await startService('files', env);
    api = new FilesClient(files.url, { headers: signedAs(testCallers.alice) });
    assert.deepEqual(await api.all({ prefix: 'killed' }), []);
    await eventually(
      'the abandoned write is given up',
      async () => ((await postgres.query('SELECT 1 FROM writes')).length === 0 ? true : undefined),
      20_000,
    );
    await consistent();
  });

  it('when MinIO is killed mid-upload, then the client is told at once, while still sending, nothing is listed, and it is swept once MinIO is back', async () => {
    const total = 60 * 2 ** 20;
    let sent = 0;
    async function* steady(): AsyncGenerator<Uint8Array> {
      // 256 KiB every 10 ms: ~2.4 s for all of it.
      for await (const chunk of generatedContent(total, 4, 1 << 18)) {
        yield chunk;
        sent += chunk.length;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    const upload = api.upload([{ filename: 'cut.bin', content: steady() }], {
      prefix: 'minio-died',
    });
    await eventually('the write has begun', async () =>
      (await postgres.query('SELECT 1 FROM writes')).length > 0 && sent > 8 * 2 ** 20
        ? true
        : undefined,
    );
    minio.process.kill('SIGKILL');
    const answer = await upload;
    assert.equal(errorCode(answer), 'UNAVAILABLE');
    assert.ok(sent < total / 2, `told only after ${sent} of ${total} bytes were sent`);
    assert.deepEqual(await api.all({ prefix: 'minio-died' }), []);
    await minio.restart();
    await consistent();
  });
});
