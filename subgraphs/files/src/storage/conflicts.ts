import { AppError } from '@filegraph/shared/errors';

/** The messages every driver gives for the same refusals, so clients see one wording. */

export function notFound(name: string): AppError {
  return new AppError('NOT_FOUND', `There is no file named ${JSON.stringify(name)}.`);
}

export function alreadyExists(name: string): AppError {
  return new AppError(
    'CONFLICT',
    `A file named ${JSON.stringify(name)} already exists; pass overwrite: true to replace it.`,
  );
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

export function changedMeanwhile(name: string): AppError {
  return new AppError(
    'CONFLICT',
    `${JSON.stringify(name)} was changed by another request at the same time; nothing was changed by this one. Try again.`,
  );
}
