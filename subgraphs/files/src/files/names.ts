import { AppError } from '@filegraph/shared/errors';

/**
 * File names are full paths with "/" between folders, the way S3 keys are.
 * They are normalised to Unicode NFC (macOS sends decomposed names; without
 * this "é" could be two different files), leading and repeated slashes are
 * dropped, and anything that could escape storage or confuse a file system
 * is refused with a message that says what is allowed.
 */

/** S3 keys are at most 1024 bytes of UTF-8. */
export const maxNameBytes = 1024;
/** Most file systems allow 255 bytes per path part. */
export const maxPartBytes = 255;

const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/u;

function invalid(message: string): AppError {
  return new AppError('BAD_USER_INPUT', message);
}

function describe(raw: string): string {
  const shown = raw.length > 80 ? `${raw.slice(0, 77)}…` : raw;
  return JSON.stringify(shown);
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Splits a path into checked parts; `kind` only shapes the messages. */
function checkedParts(raw: string, kind: 'file name' | 'folder'): string[] {
  if (!raw.isWellFormed()) throw invalid(`The ${kind} ${describe(raw)} is not valid Unicode.`);
  const control = controlCharacter.exec(raw);
  if (control) {
    throw invalid(
      `The ${kind} ${describe(raw)} contains the control character ${codePoint(control[0])}; names may not contain control characters.`,
    );
  }
  const parts = raw
    .normalize('NFC')
    .split('/')
    .filter((part) => part !== '');
  for (const part of parts) {
    if (part === '.' || part === '..') {
      throw invalid(
        `The ${kind} ${describe(raw)} contains "${part}"; "." and ".." may not be used as a folder or file name.`,
      );
    }
    if (part.trim() === '') {
      throw invalid(`The ${kind} ${describe(raw)} has a part made only of spaces.`);
    }
    const bytes = Buffer.byteLength(part);
    if (bytes > maxPartBytes) {
      throw invalid(
        `The ${kind} ${describe(raw)} has a part of ${bytes} bytes; each folder or file name may be at most ${maxPartBytes} bytes (UTF-8).`,
      );
    }
  }
  return parts;
}

function checkLength(name: string, raw: string, kind: string): void {
  const bytes = Buffer.byteLength(name);
  if (bytes > maxNameBytes) {
    throw invalid(
      `The ${kind} ${describe(raw)} is ${bytes} bytes long; a full name may be at most ${maxNameBytes} bytes (UTF-8).`,
    );
  }
}

/** Normalises a full file name, e.g. "/photos//a.jpg" → "photos/a.jpg". */
export function fileName(raw: string): string {
  if (raw.trim() === '') throw invalid('The file name is empty.');
  if (raw.endsWith('/')) {
    throw invalid(
      `The file name ${describe(raw)} ends with "/", which names a folder, not a file.`,
    );
  }
  const name = checkedParts(raw, 'file name').join('/');
  if (name === '') throw invalid(`The file name ${describe(raw)} has no name after its folders.`);
  checkLength(name, raw, 'file name');
  return name;
}

/** Normalises a folder path to '' (the top) or "a/b/" (ending in a slash). */
export function folderPrefix(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return '';
  const parts = checkedParts(raw, 'folder');
  const prefix = parts.length === 0 ? '' : `${parts.join('/')}/`;
  checkLength(prefix, raw, 'folder');
  return prefix;
}

/** A file name inside a folder: the uploaded name may itself hold folders. */
export function nameInFolder(prefix: string, raw: string): string {
  return fileName(`${prefix}${raw}`);
}

/** Every folder a name lives in, outermost first: "a/b/c" → ["a", "a/b"]. */
export function parentFolders(name: string): string[] {
  const parts = name.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The form names are compared in when searching: NFC, lower case. */
export function searchFold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}
