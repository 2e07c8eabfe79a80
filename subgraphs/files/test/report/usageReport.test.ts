import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startPostgres, type PostgresServer } from '@filegraph/processes/postgres';
import { newMember, testAdmin, tokenHeaders } from '@filegraph/testing/accounts';
import { FilesClient, type ApiFile } from '@filegraph/testing/filesClient';
import { eventually } from '@filegraph/testing/eventually';
import { graphql } from '@filegraph/testing/graphql';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { readReport } from './readReport.ts';

type Headers = () => Record<string, string>;
type Sheets = Record<string, unknown[][]>;

const memberEmail = 'member@filegraph.test';
const summaryQuery = `{ usageSummary { computedAt files bytes
  byType { contentType files bytes } byOwner { owner { id email } files bytes } } }`;

interface Summary {
  computedAt: string;
  files: number;
  bytes: number;
  byType: Array<{ contentType: string; files: number; bytes: number }>;
  byOwner: Array<{ owner: { id: string; email: string }; files: number; bytes: number }>;
}

/** Each file as a report row: owner's email, folder ('/' at the top), name, type, size. */
function reportRow(file: ApiFile, owner: string): unknown[] {
  const cut = file.name.lastIndexOf('/') + 1;
  return [
    owner,
    cut === 0 ? '/' : file.name.slice(0, cut),
    file.name.slice(cut),
    file.contentType,
    file.size,
  ];
}

/** Sums of files and bytes by a key, as the totals should say. */
function totalsBy(
  rows: ReadonlyArray<{ key: string; size: number }>,
): Map<string, [number, number]> {
  const totals = new Map<string, [number, number]>();
  for (const { key, size } of rows) {
    const [files, bytes] = totals.get(key) ?? [0, 0];
    totals.set(key, [files + 1, bytes + size]);
  }
  return totals;
}

/**
 * The usage report (issue 17) through the gateway of the embedded default,
 * with each catalogue driver: an admin downloads it as XLSX (read back with
 * openpyxl) and CSV (read back with Python's csv module), every file a row,
 * totals that add up; members and nobody are refused; the chart's figures
 * come from the cache the report refreshed.
 */
for (const driver of ['sqlite', 'postgres'] as const) {
  describe(`usage report through the gateway, ${driver} catalogue`, { timeout: 180_000 }, () => {
    let data: { path: string; remove(): Promise<void> };
    let postgres: PostgresServer | undefined;
    let embedded: RunningService;
    let admin: Headers;
    let member: Headers;
    let url: string;

    const get = (path: string, headers: Headers = admin) =>
      fetch(`${url}${path}`, { headers: headers() });
    /** Downloads a report into the test's folder and reads it with Python. */
    async function download<T>(path: string, kind: 'xlsx' | 'csv'): Promise<T> {
      const response = await get(path);
      assert.equal(response.status, 200, await response.clone().text());
      const file = join(data.path, `report-${Date.now()}.${kind}`);
      await writeFile(file, Buffer.from(await response.arrayBuffer()));
      return readReport<T>(kind, file);
    }

    before(async () => {
      data = await tempDir(`usage-report-${driver}`);
      if (driver === 'postgres') postgres = await startPostgres(join(data.path, 'postgres'));
      embedded = await startService('embedded', {
        DATA_DIR: data.path,
        // Short, so that the test sees the figures counted again without a report.
        USAGE_SUMMARY_MAX_AGE: '1s',
        ...(postgres ? { CATALOGUE: 'postgres', DATABASE_URL: postgres.url } : {}),
      });
      url = embedded.url;
      admin = await tokenHeaders(url);
      member = await newMember(url, admin, memberEmail);
    });
    after(async () => {
      await embedded?.stop();
      await postgres?.stop();
      await data?.remove();
    });

    it('when the catalogue is empty, then the XLSX and both CSVs have their headings and zero totals, and the chart says 0', async () => {
      const book = await download<Sheets>('/reports/usage.xlsx', 'xlsx');
      assert.deepEqual(Object.keys(book), ['Files', 'By folder', 'By type', 'By owner']);
      assert.deepEqual(book.Files, [
        ['Owner', 'Folder', 'Name', 'Type', 'Size (bytes)', 'Created (UTC)', 'Updated (UTC)', 'Id'],
      ]);
      assert.equal(book['By folder']?.length, 1);
      assert.deepEqual(book['By type'], [
        ['Type', 'Files', 'Bytes'],
        ['Total', 0, 0],
      ]);
      assert.deepEqual(book['By owner']?.at(-1), ['Total', 0, 0]);

      const files = await download<string[][]>('/reports/usage.csv', 'csv');
      assert.equal(files.length, 1);
      assert.equal(files[0]?.[0], 'Owner');
      const totals = await download<string[][]>('/reports/usage.csv?part=totals', 'csv');
      assert.deepEqual(totals.slice(1), [['all', '', '', '', '0', '0', '', '']]);

      const summary = await graphql<{ usageSummary: Summary }>(
        url,
        summaryQuery,
        {},
        {
          headers: admin(),
        },
      );
      assert.equal(summary.errors, undefined, JSON.stringify(summary.errors));
      assert.equal(summary.data?.usageSummary.files, 0);
      assert.deepEqual(summary.data?.usageSummary.byType, []);
    });

    it('when a member or nobody asks for the report or its figures, then they are refused with 403 FORBIDDEN or 401', async () => {
      for (const path of ['/reports/usage.xlsx', '/reports/usage.csv?part=totals']) {
        const refused = await get(path, member);
        assert.equal(refused.status, 403);
        const body = (await refused.json()) as { errors: Array<{ extensions: { code: string } }> };
        assert.equal(body.errors[0]?.extensions.code, 'FORBIDDEN');
        assert.equal((await get(path, () => ({}))).status, 401);
      }
      const summary = await graphql(url, summaryQuery, {}, { headers: member() });
      assert.equal(summary.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    });

    it('when a report is asked for wrongly, then a 4xx names what may be asked', async () => {
      const wrongPart = await get('/reports/usage.csv?part=everything');
      assert.equal(wrongPart.status, 400);
      assert.match(await wrongPart.text(), /part must be files .* or totals/);
      assert.equal((await get('/reports/usage.xlsx?part=files')).status, 400);
      const unknown = await get('/reports/usage.pdf');
      assert.equal(unknown.status, 404);
      assert.match(await unknown.text(), /usage\.xlsx and usage\.csv/);
    });

    it('when two people have files, then every file is a row of the XLSX and the CSV, the totals add up, and the chart shows the same figures', async () => {
      const admins = new FilesClient(url, { headers: admin });
      const members = new FilesClient(url, { headers: member });
      // Names a spreadsheet would take for formulas, with quotes and commas, accents, folders.
      await admins.put('=HYPERLINK("evil.example","click").txt', 'formula', {
        prefix: 'tricky',
      });
      await admins.put('+1,2 "quoted".csv', 'a,b\n1,2\n', { prefix: 'tricky' });
      await admins.put('@sum.txt', '@', { prefix: 'tricky/deeper' });
      await admins.put('-minus.txt', '-', {});
      await admins.put('Résumé.pdf', '%PDF-1.4 not really', { prefix: 'docs/2024' });
      await members.put('notes.txt', 'the member notes', { prefix: 'docs' });
      await members.put('photo.png', Buffer.alloc(2048, 7), { prefix: 'photos/2024' });
      const mine = await admins.all();
      const theirs = await members.all();
      const everyone = [
        ...mine.map((file) => ({ file, owner: testAdmin.email })),
        ...theirs.map((file) => ({ file, owner: memberEmail })),
      ];
      const expectedRows = everyone
        .map(({ file, owner }) => reportRow(file, owner))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      const totalBytes = everyone.reduce((sum, { file }) => sum + file.size, 0);

      const book = await download<Sheets>('/reports/usage.xlsx', 'xlsx');
      const rows = (book.Files ?? []).slice(1);
      assert.deepEqual(
        rows
          .map((row) => row.slice(0, 5))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        expectedRows,
      );
      // Dates are date cells (openpyxl gives datetimes), to the second as a file's own times.
      for (const row of rows) {
        const file = everyone.find(({ file }) => file.id === row[7])?.file;
        assert.ok(file, `row of an unknown file: ${JSON.stringify(row)}`);
        assert.equal(String(row[5]).slice(0, 19), file.createdAt.slice(0, 19));
        assert.equal(String(row[6]).slice(0, 19), file.updatedAt.slice(0, 19));
      }
      // XLSX cells are text, never formulas: a name starting with = stays as it is.
      assert.ok(rows.some((row) => row[2] === '=HYPERLINK("evil.example","click").txt'));

      const byType = totalsBy(
        everyone.map(({ file }) => ({ key: file.contentType, size: file.size })),
      );
      const typeSheet = book['By type'] ?? [];
      assert.deepEqual(
        new Map(typeSheet.slice(1, -1).map((row) => [row[0], [row[1], row[2]]])),
        byType,
      );
      assert.deepEqual(typeSheet.at(-1), ['Total', everyone.length, totalBytes]);
      const byOwner = totalsBy(
        everyone.map(({ file, owner }) => ({ key: owner, size: file.size })),
      );
      const ownerSheet = book['By owner'] ?? [];
      assert.deepEqual(
        new Map(ownerSheet.slice(1, -1).map((row) => [row[0], [row[1], row[2]]])),
        byOwner,
      );
      const folders = new Map(
        (book['By folder'] ?? []).slice(1).map((row) => [`${row[0]} ${row[1]}`, row.slice(2)]),
      );
      const inDocs = everyone.filter(({ file }) => file.name.startsWith('docs/'));
      const adminDocs = inDocs.filter(({ owner }) => owner === testAdmin.email);
      assert.deepEqual(folders.get(`${testAdmin.email} docs/`), [
        0,
        0,
        adminDocs.length,
        adminDocs.reduce((sum, { file }) => sum + file.size, 0),
      ]);
      const adminTop = everyone.filter(({ owner }) => owner === testAdmin.email);
      assert.deepEqual(folders.get(`${testAdmin.email} /`)?.slice(2), [
        adminTop.length,
        adminTop.reduce((sum, { file }) => sum + file.size, 0),
      ]);
      const direct = [...folders.values()].reduce<[number, number]>(
        (sum, [files, bytes]) => [sum[0] + Number(files), sum[1] + Number(bytes)],
        [0, 0],
      );
      assert.deepEqual(direct, [everyone.length, totalBytes], 'direct counts add up to the total');

      const csv = await download<string[][]>('/reports/usage.csv', 'csv');
      assert.equal(csv.length, everyone.length + 1);
      const byId = new Map(csv.slice(1).map((record) => [record[7], record]));
      for (const { file, owner } of everyone) {
        const record = byId.get(file.id);
        assert.ok(record, `no CSV record for ${file.name}`);
        const [, folder, name, type, size, created] = record;
        const expected = reportRow(file, owner);
        // Text that starts like a formula is prefixed with ' so a spreadsheet shows it as text.
        const shown = String(expected[2]);
        assert.equal(name, /^[=+\-@]/.test(shown) ? `'${shown}` : shown);
        assert.deepEqual(
          [record[0], folder, type, Number(size)],
          [expected[0], expected[1], expected[3], expected[4]],
        );
        assert.equal(created, file.createdAt);
      }
      const totals = await download<string[][]>('/reports/usage.csv?part=totals', 'csv');
      assert.deepEqual(totals[0], [
        'Total',
        'Owner',
        'Folder',
        'Type',
        'Files',
        'Bytes',
        'Files with subfolders',
        'Bytes with subfolders',
      ]);
      assert.deepEqual(totals[1], [
        'all',
        '',
        '',
        '',
        String(everyone.length),
        String(totalBytes),
        '',
        '',
      ]);
      assert.deepEqual(
        new Map(
          totals
            .filter((record) => record[0] === 'owner')
            .map((record) => [record[1], [Number(record[4]), Number(record[5])]]),
        ),
        byOwner,
      );

      // The report stored its totals: the chart answers with them, owners resolved by the accounts service.
      const summary = await graphql<{ usageSummary: Summary }>(
        url,
        summaryQuery,
        {},
        {
          headers: admin(),
        },
      );
      const figures = summary.data?.usageSummary;
      assert.ok(figures, JSON.stringify(summary.errors));
      assert.equal(figures.files, everyone.length);
      assert.equal(figures.bytes, totalBytes);
      assert.deepEqual(
        new Map(figures.byOwner.map((group) => [group.owner.email, [group.files, group.bytes]])),
        byOwner,
      );
      assert.deepEqual(
        new Map(figures.byType.map((group) => [group.contentType, [group.files, group.bytes]])),
        byType,
      );
      assert.ok(figures.byOwner[0]!.bytes >= figures.byOwner.at(-1)!.bytes, 'largest first');
    });

    it('when files change after a report, then the chart keeps its figures until they are older than USAGE_SUMMARY_MAX_AGE, then counts again without a report', async () => {
      const files = async () => {
        const answer = await graphql<{ usageSummary: Summary }>(
          url,
          summaryQuery,
          {},
          {
            headers: admin(),
          },
        );
        return answer.data?.usageSummary;
      };
      assert.equal((await get('/reports/usage.csv?part=totals')).status, 200);
      const counted = await files();
      assert.ok(counted);
      await new FilesClient(url, { headers: member }).put('later.txt', 'after the report');
      // The cached row answers at once, whatever changed since.
      assert.equal((await files())?.files, counted.files);
      const recounted = await eventually(
        'the figures counted again',
        async () => {
          const now = await files();
          return now && now.files === counted.files + 1 ? now : undefined;
        },
        10_000,
        250,
      );
      assert.ok(recounted.computedAt > counted.computedAt);
    });

    if (driver === 'postgres')
      it('when PostgreSQL is down, then the report is refused with 503 UNAVAILABLE before a byte of it is sent', async () => {
        await postgres?.stop();
        const response = await get('/reports/usage.xlsx');
        assert.equal(response.status, 503);
        const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
        assert.equal(body.errors[0]?.extensions.code, 'UNAVAILABLE');
      });
  });
}
