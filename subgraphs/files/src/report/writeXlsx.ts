import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FileRecord, UsageGroup } from '../catalogue/Catalogue.ts';
import { fileCells, fileHeadings, folderCells, folderHeadings } from './columns.ts';
import { drained } from './drained.ts';
import type { OwnerDirectory } from './OwnerDirectory.ts';
import { UsageTally } from './UsageTally.ts';

const bytesFormat = '#,##0';
const dateFormat = 'yyyy-mm-dd hh:mm:ss';

type Sheet = ExcelJS.Worksheet;

function sheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: ReadonlyArray<{ header: string; width: number; numFmt?: string }>,
): Sheet {
  const added = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  added.columns = columns.map(({ header, width, numFmt }) => ({
    header,
    width,
    ...(numFmt && { style: { numFmt } }),
  }));
  added.getRow(1).font = { bold: true };
  added.getRow(1).commit();
  return added;
}

function totalRow(target: Sheet, values: unknown[]): void {
  const row = target.addRow(values);
  row.font = { bold: true };
  row.commit();
}

function groupSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  heading: string,
  groups: readonly UsageGroup[],
  label: (key: string) => string,
  tally: UsageTally,
): void {
  const target = sheet(workbook, name, [
    { header: heading, width: 40 },
    { header: 'Files', width: 12, numFmt: bytesFormat },
    { header: 'Bytes', width: 20, numFmt: bytesFormat },
  ]);
  for (const group of groups) target.addRow([label(group.key), group.files, group.bytes]).commit();
  totalRow(target, ['Total', tally.files, tally.bytes]);
  target.commit();
}

/**
 * The usage report as an XLSX workbook, streamed to `out` (exceljs's
 * streaming writer: rows are written as they come and not kept, strings
 * inline rather than in a shared table). Sheets: Files (one row per live
 * file), then totals By folder, By type and By owner, counted from those
 * same rows. Returns the totals; stops early, returning undefined, when
 * `out` closes first (the client left).
 */
export async function writeXlsx(
  pages: AsyncIterable<readonly FileRecord[]>,
  owners: OwnerDirectory,
  out: Writable,
): Promise<UsageTally | undefined> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'filegraph';
  const tally = new UsageTally();
  const files = sheet(
    workbook,
    'Files',
    fileHeadings.map((header) => ({
      header,
      width: header === 'Name' || header === 'Folder' ? 40 : header === 'Id' ? 38 : 22,
      ...(header === 'Size (bytes)' && { numFmt: bytesFormat }),
      ...(header.startsWith('Created') || header.startsWith('Updated')
        ? { numFmt: dateFormat }
        : {}),
    })),
  );
  for await (const page of pages) {
    for (const file of page) {
      files.addRow(fileCells(file, owners)).commit();
      tally.add(file);
    }
    await drained(out);
    if (out.destroyed) return undefined;
  }
  // The pages stopped early: the client left while a page was being read.
  if (out.destroyed) return undefined;
  files.commit();

  const folders = sheet(
    workbook,
    'By folder',
    folderHeadings.map((header) => ({
      header,
      width: header === 'Owner' || header === 'Folder' ? 40 : 22,
      ...(header !== 'Owner' && header !== 'Folder' && { numFmt: bytesFormat }),
    })),
  );
  for (const usage of tally.byFolder()) folders.addRow(folderCells(usage, owners)).commit();
  folders.commit();
  groupSheet(workbook, 'By type', 'Type', tally.byType(), (key) => key, tally);
  groupSheet(workbook, 'By owner', 'Owner', tally.byOwner(), (key) => owners.label(key), tally);

  const closed = new Promise<'closed'>((resolve) =>
    out.destroyed ? resolve('closed') : out.once('close', () => resolve('closed')),
  );
  // A client that leaves now never lets the zip finish: don't wait for it then.
  if ((await Promise.race([workbook.commit().then(() => 'done' as const), closed])) === 'closed')
    return undefined;
  return tally;
}
