import type { FileRecord, ShareRecord } from '../Catalogue.ts';
import { toFileRecord, toShareRecord, type FileRow, type ShareRow as Shares } from '../rows.ts';

export {
  fileColumns as columns,
  qualifiedFileColumns as qualified,
  shareColumns,
} from '../rows.ts';

/** A files row as node-postgres returns it. */
export type Row = FileRow<Date>;
export type ShareRow = Shares<Date>;

const asIs = (time: Date) => time;
export const toRecord = (row: Row): FileRecord => toFileRecord(row, asIs);
export const toShare = (row: ShareRow): ShareRecord => toShareRecord(row, asIs);
