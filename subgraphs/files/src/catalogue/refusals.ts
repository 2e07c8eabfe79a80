import { AppError } from '@filegraph/shared/errors';

/** The messages both drivers give for the same refusals, so clients see one wording. */

export function noSuchFile(): AppError {
  return new AppError('NOT_FOUND', 'There is no file with this id; it may have been deleted.');
}

export function alreadyExists(name: string): AppError {
  return new AppError(
    'CONFLICT',
    `A file named ${JSON.stringify(name)} already exists; pass overwrite: true to replace it.`,
  );
}

export function twiceInOneWrite(name: string): AppError {
  return new AppError('CONFLICT', `This request carries two files named ${JSON.stringify(name)}.`);
}

export function isFolder(name: string): AppError {
  return new AppError(
    'CONFLICT',
    `${JSON.stringify(name)} is a folder; a file can't have the same name as a folder.`,
  );
}

export function parentIsFile(parent: string, name: string): AppError {
  return new AppError(
    'CONFLICT',
    `${JSON.stringify(parent)} is a file, so it can't be the folder of ${JSON.stringify(name)}.`,
  );
}

export function noSuchFolder(path: string): AppError {
  return new AppError('NOT_FOUND', `There is no folder ${JSON.stringify(path)}.`);
}

export function folderExists(path: string): AppError {
  return new AppError(
    'CONFLICT',
    `The folder ${JSON.stringify(path)} already holds files; move into a folder that does not exist yet.`,
  );
}

export function intoItself(from: string, to: string): AppError {
  return new AppError(
    'BAD_USER_INPUT',
    `The folder ${JSON.stringify(from)} can't be moved into itself (${JSON.stringify(to)}).`,
  );
}

export function nameTakenOnRestore(name: string): AppError {
  return new AppError(
    'CONFLICT',
    `${JSON.stringify(name)} can't be restored: that name is taken again. Rename or delete the file that has it, then restore. Nothing was restored.`,
  );
}
