import type { Readable } from 'node:stream';

/** A file in a multipart request as the upload reader (shared/src/uploads) hands it over. */
export interface UploadedFile {
  readonly filename: string;
  readonly mimetype: string;
  createReadStream(): Readable;
}

/** graphql-upload's Upload: a promise of the file, resolved when its part begins. */
export interface UploadLike {
  readonly promise: Promise<UploadedFile>;
}

export interface FoundUpload {
  /** Dotted path inside `variables`, e.g. "files.0". */
  readonly path: string;
  readonly upload: UploadLike;
}

/**
 * Recognised by shape, not instanceof: the gateway and a subgraph may load
 * different copies of graphql-upload, whose Upload classes differ.
 */
export function isUpload(value: unknown): value is UploadLike {
  const promise = (value as { promise?: { then?: unknown } } | null)?.promise;
  return typeof value === 'object' && value !== null && typeof promise?.then === 'function';
}

/** Every upload in the variables, in document order, with its path. */
export function findUploads(variables: Record<string, unknown> | undefined): FoundUpload[] {
  const found: FoundUpload[] = [];
  const visit = (value: unknown, path: string) => {
    if (isUpload(value)) found.push({ path, upload: value });
    else if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}.${index}`));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
    }
  };
  for (const [key, value] of Object.entries(variables ?? {})) visit(value, key);
  return found;
}

/** The variables with each upload replaced by null, as the multipart spec sends them. */
export function withoutUploads(
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const strip = (value: unknown): unknown => {
    if (isUpload(value)) return null;
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, strip(item)]));
    }
    return value;
  };
  return strip(variables ?? {}) as Record<string, unknown>;
}
