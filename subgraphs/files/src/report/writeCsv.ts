import type { Writable } from 'node:stream';
import type { FileRecord } from '../catalogue/Catalogue.ts';
import { csvRecord } from './csv.ts';
import { fileCells, fileHeadings, folderLabel } from './columns.ts';
import { drained } from './drained.ts';
import type { OwnerDirectory } from './OwnerDirectory.ts';
import { UsageTally } from './UsageTally.ts';

/** What one CSV holds: a CSV is one table, so the report is two of them. */
export type CsvPart = 'files' | 'totals';

/** Excel reads a CSV as UTF-8 only when it starts with a byte order mark. */
const byteOrderMark = '\uFEFF';

export const totalsHeadings = [
  'Total',
  'Owner',
  'Folder',
  'Type',
  'Files',
  'Bytes',
  'Files with subfolders',
  'Bytes with subfolders',
] as const;

function write(out: Writable, text: string): Promise<void> {
  out.write(text);
  return drained(out);
}

/**
 * The usage report as CSV (RFC 4180, UTF-8), streamed to `out`: `files`, one
 * record per live file; `totals`, one table of every total, told apart by
 * its first column (all, owner, type, folder), so it filters and pivots as
 * it is. Both go over every file; returns the totals, or undefined when
 * `out` closed first (the client left).
 */
export async function writeCsv(
  part: CsvPart,
  pages: AsyncIterable<readonly FileRecord[]>,
  owners: OwnerDirectory,
  out: Writable,
): Promise<UsageTally | undefined> {
  const tally = new UsageTally();
  await write(out, byteOrderMark + csvRecord(part === 'files' ? fileHeadings : totalsHeadings));
  for await (const page of pages) {
    let text = '';
    for (const file of page) {
      tally.add(file);
      if (part === 'files')
        text += csvRecord(
          fileCells(file, owners).map((cell) => (cell instanceof Date ? cell.toISOString() : cell)),
        );
    }
    if (text) await write(out, text);
    if (out.destroyed) return undefined;
  }
  if (part === 'totals') {
    await write(out, csvRecord(['all', '', '', '', tally.files, tally.bytes, '', '']));
    for (const group of tally.byOwner())
      await write(
        out,
        csvRecord(['owner', owners.label(group.key), '', '', group.files, group.bytes, '', '']),
      );
    for (const group of tally.byType())
      await write(out, csvRecord(['type', '', '', group.key, group.files, group.bytes, '', '']));
    for (const usage of tally.byFolder())
      await write(
        out,
        csvRecord([
          'folder',
          owners.label(usage.owner),
          folderLabel(usage.folder),
          '',
          usage.files,
          usage.bytes,
          usage.allFiles,
          usage.allBytes,
        ]),
      );
  }
  if (out.destroyed) return undefined;
  await new Promise<void>((resolve) => out.end(resolve));
  return tally;
}
