import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { formatBytes } from '@filegraph/shared/config';
import { startPostgres, type PostgresServer } from '@filegraph/processes/postgres';
import { peakRss } from '@filegraph/processes/processes';
import { graphql } from '@filegraph/testing/graphql';
import { signedAs, testCallers } from '@filegraph/testing/identity';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { readReport } from './readReport.ts';

const count = 100_000;
const owners = [testCallers.admin, testCallers.alice, testCallers.bob];
const types = ['text/plain', 'image/jpeg', 'application/pdf', 'video/mp4', 'text/csv'];
/**
 * Most a replica's resident memory may grow while it writes a report: what
 * a page of rows, the zip's buffers and the totals take, whatever the
 * number of files (measured: +27 MiB for the CSV and +32 MiB for the XLSX
 * of 100,000 files as of 300,000; +96 and +165 MiB before the report
 * collected its garbage).
 */
const growthBound = 64 * 2 ** 20;

/**
 * 100,000 rows written straight into the catalogue in one statement (as
 * bench/ does for its million): 3 owners, 1,000 folders in 10 top folders,
 * 5 content types, sizes i bytes. Bytes are not written: the report reads
 * the catalogue only. `folders` counts are left out too: listings are not
 * used here.
 */
const insertSql = `
INSERT INTO files (id, owner, name, parent, folded, size, content_type, checksum, object_key, created_at, updated_at)
SELECT gen_random_uuid(), ($2::uuid[])[1 + i % 3], p.parent || 'file-' || lpad(i::text, 6, '0') || '.bin', p.parent,
       lower(p.parent || 'file-' || i), i, ($3::text[])[1 + i % 5], md5(i::text) || md5(i::text),
       'objects/' || md5('k' || i), now(), now()
FROM generate_series(1, $1::int) AS i
CROSS JOIN LATERAL (SELECT 'top-' || (i % 10) || '/folder-' || lpad((i % 1000)::text, 4, '0') || '/' AS parent) AS p`;

/**
 * Sends the report request as the gateway would, saving the answer to
 * `path`; resolves with its status. `slowMs`: a client that takes that long
 * over each chunk it reads.
 */
function fetchReport(base: string, name: string, path: string, slowMs = 0): Promise<number> {
  const body = JSON.stringify({
    owners: owners.map((owner, i) => ({
      id: owner.id,
      email: `owner${i}@example.org`,
      name: null,
    })),
  });
  return new Promise((resolve, reject) => {
    const outgoing = request(`${base}/reports/${name}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...signedAs(testCallers.admin)(),
      },
    });
    outgoing.on('response', (answer) => {
      const slow = new Transform({
        highWaterMark: 16 * 1024,
        transform: (chunk, _encoding, done) => setTimeout(() => done(null, chunk), slowMs),
      });
      const steps = slowMs > 0 ? [answer, slow] : [answer];
      pipeline([...steps, createWriteStream(path)]).then(
        () => resolve(answer.statusCode ?? 0),
        reject,
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * The usage report streams (issue 17, "report on 100,000 files"): a files
 * replica on PostgreSQL writes the XLSX and the CSV of 100,000 files while
 * its memory grows by less than 64 MiB; openpyxl reads every row back. Times are reported, not asserted (shared machines).
 */
describe('usage report at 100,000 files', { timeout: 600_000 }, () => {
  let data: { path: string; remove(): Promise<void> };
  let postgres: PostgresServer;
  let files: RunningService;
  let expectedBytes: number;
  let emptyXlsx: Awaited<ReturnType<typeof measured>>;

  before(async () => {
    data = await tempDir('usage-report-scale');
    postgres = await startPostgres(join(data.path, 'postgres'));
    const env = { STORAGE: 'disk', DATA_DIR: data.path, ...postgres.filesEnv() };
    files = await startService('files', env);
    // A replica loads ExcelJS with its first XLSX (~35 MiB, once): what the
    // XLSX of 100,000 files may add is measured against an XLSX of none.
    emptyXlsx = await measured('usage.xlsx', join(data.path, 'empty.xlsx'));
    assert.equal(emptyXlsx.status, 200);
    const started = performance.now();
    await postgres.query(insertSql, [count, owners.map((owner) => owner.id), types]);
    await postgres.query('VACUUM (ANALYZE) files');
    const [row] = await postgres.query<{ bytes: number }>(
      'SELECT sum(size)::float8 AS bytes FROM files WHERE deleted_at IS NULL',
    );
    expectedBytes = Number(row?.bytes);
    process.stderr.write(
      `# ${count} rows written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  });
  after(async () => {
    await files?.stop();
    await postgres?.stop();
    await data?.remove();
  });

  async function measured(name: string, path: string, slowMs = 0) {
    const pid = files.process.pid;
    // The peak so far is start-up's; from here on it is the report's (proc(5), clear_refs).
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    const before = await peakRss(pid);
    const started = performance.now();
    const status = await fetchReport(files.url, name, path, slowMs);
    const seconds = (performance.now() - started) / 1000;
    const peak = await peakRss(pid);
    return { status, seconds, before, peak, size: (await stat(path)).size };
  }

  it('when an admin downloads the XLSX, then all 100,000 rows and their totals are in it and the replica peaks less than 64 MiB above an XLSX of no file', async (t) => {
    const path = join(data.path, 'usage.xlsx');
    const run = await measured('usage.xlsx', path);
    t.diagnostic(
      `XLSX of ${count} files: ${run.seconds.toFixed(1)} s, ${formatBytes(run.size)}; files replica RSS ${formatBytes(run.before)} before, peak ${formatBytes(run.peak)}; the XLSX of no file peaked at ${formatBytes(emptyXlsx.peak)} (from ${formatBytes(emptyXlsx.before)})`,
    );
    assert.equal(run.status, 200);
    const book = await readReport<
      Record<string, { rows: number; sums: Record<string, number>; types: Record<string, string> }>
    >('xlsx', path, true);
    assert.equal(book.Files?.rows, count);
    assert.equal(book.Files?.sums['4'], expectedBytes, 'the Size column adds up');
    assert.equal(book.Files?.types['5'], 'datetime');
    // 3 owners × (1,000 folders, 10 top folders, the top level).
    assert.equal(book['By folder']?.rows, 3 * 1011);
    assert.equal(book['By type']?.rows, types.length + 1);
    // Each total row equals the sum of the rows above it, so the column sums to twice the total.
    assert.equal(book['By type']?.sums['2'], 2 * expectedBytes);
    assert.equal(book['By owner']?.sums['1'], 2 * count);
    assert.ok(
      run.peak - emptyXlsx.peak < growthBound,
      `RSS peaked ${formatBytes(run.peak - emptyXlsx.peak)} above the XLSX of no file, over ${formatBytes(growthBound)}`,
    );
  });

  it('when an admin downloads the CSV of files, then it has 100,000 records and the replica grows by less than 64 MiB', async (t) => {
    const path = join(data.path, 'usage.csv');
    const run = await measured('usage.csv', path);
    t.diagnostic(
      `CSV of ${count} files: ${run.seconds.toFixed(1)} s, ${formatBytes(run.size)}; files replica RSS ${formatBytes(run.before)} before, peak ${formatBytes(run.peak)}`,
    );
    assert.equal(run.status, 200);
    const lines = (await readFile(path, 'utf8')).split('\r\n');
    assert.equal(lines.length, count + 2, 'a heading, a record per file and the final CRLF');
    assert.ok(
      run.peak - run.before < growthBound,
      `RSS grew by ${formatBytes(run.peak - run.before)}, over ${formatBytes(growthBound)}`,
    );
  });

  it('when an admin opens the chart, then the figures come from the cached row; with no row yet, one count of 100,000 files makes it', async (t) => {
    const ask = async () => {
      const started = performance.now();
      const answer = await graphql<{ usageSummary: { files: number; bytes: number } }>(
        files.url,
        '{ usageSummary { files bytes } }',
        {},
        { headers: signedAs(testCallers.admin)() },
      );
      return { figures: answer.data?.usageSummary, ms: performance.now() - started };
    };
    const cached = await ask();
    assert.deepEqual(cached.figures, { files: count, bytes: expectedBytes });
    await postgres.query('DELETE FROM usage_summary');
    const counted = await ask();
    assert.deepEqual(counted.figures, { files: count, bytes: expectedBytes });
    t.diagnostic(
      `chart figures: ${cached.ms.toFixed(0)} ms from the cached row, ${counted.ms.toFixed(0)} ms counting ${count} files`,
    );
  });

  it('when the client reads slowly, then the replica waits for it and its memory grows by less than 64 MiB', async (t) => {
    const path = join(data.path, 'usage-slow.csv');
    // 40 ms a chunk (of up to 64 KiB): about 1.5 MiB/s, a few times slower than the replica writes.
    const run = await measured('usage.csv', path, 40);
    t.diagnostic(
      `CSV of ${count} files to a slow client: ${run.seconds.toFixed(1)} s; files replica RSS ${formatBytes(run.before)} before, peak ${formatBytes(run.peak)}`,
    );
    assert.equal(run.status, 200);
    assert.equal((await readFile(path, 'utf8')).split('\r\n').length, count + 2);
    assert.ok(
      run.peak - run.before < growthBound,
      `RSS grew by ${formatBytes(run.peak - run.before)}, over ${formatBytes(growthBound)}`,
    );
  });
});
