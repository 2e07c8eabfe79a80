import type { FileRecord } from '../catalogue/Catalogue.ts';
import type { OwnerDirectory } from './OwnerDirectory.ts';
import { folderOf, type FolderUsage } from './UsageTally.ts';

// What each table of the report shows, shared by the XLSX and the CSV so
// that both say the same thing under the same headings.

/** A folder path as the report shows it: '/' for the top level. */
export const folderLabel = (folder: string) => (folder === '' ? '/' : folder);

export const fileHeadings = [
  'Owner',
  'Folder',
  'Name',
  'Type',
  'Size (bytes)',
  'Created (UTC)',
  'Updated (UTC)',
  'Id',
] as const;

export function fileCells(
  file: FileRecord,
  owners: OwnerDirectory,
): [string, string, string, string, number, Date, Date, string] {
  const folder = folderOf(file.name);
  return [
    owners.label(file.owner),
    folderLabel(folder),
    file.name.slice(folder.length),
    file.contentType,
    file.size,
    file.createdAt,
    file.updatedAt,
    file.id,
  ];
}

export const folderHeadings = [
  'Owner',
  'Folder',
  'Files',
  'Bytes',
  'Files with subfolders',
  'Bytes with subfolders',
] as const;

export function folderCells(
  usage: FolderUsage,
  owners: OwnerDirectory,
): [string, string, number, number, number, number] {
  return [
    owners.label(usage.owner),
    folderLabel(usage.folder),
    usage.files,
    usage.bytes,
    usage.allFiles,
    usage.allBytes,
  ];
}
