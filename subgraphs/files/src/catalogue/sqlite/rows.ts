import type { FileRecord, ShareRecord } from '../Catalogue.ts';
import { toFileRecord, toShareRecord, type FileRow, type ShareRow as Shares } from '../rows.ts';

export { fileColumns as columns, shareColumns } from '../rows.ts';

/** A files row as SQLite returns it: times in ms since 1970. */
export type Row = FileRow<number>;
export type ShareRow = Shares<number>;

const fromMs = (time: number) => new Date(time);
export const toRecord = (row: Row): FileRecord => toFileRecord(row, fromMs);
export const toShare = (row: ShareRow): ShareRecord => toShareRecord(row, fromMs);
