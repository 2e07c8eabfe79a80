import { XMLParser } from 'fast-xml-parser';

/** One object of a ListObjectsV2 answer; `metadata` only from MinIO's extension. */
export interface Listed {
  readonly name: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: Date;
  readonly metadata: Record<string, unknown> | undefined;
}

const parser = new XMLParser({
  parseTagValue: false,
  // S3 writes quotes in ETags as &#34;: numeric references must be decoded too.
  htmlEntities: true,
  isArray: (_name, path) =>
    path === 'ListBucketResult.Contents' || path === 'ListBucketResult.CommonPrefixes',
});

function unquote(etag: unknown): string {
  return String(etag ?? '').replace(/^"|"$/g, '');
}

function s3Error(root: Record<string, unknown>): Error | undefined {
  const error = root.Error as { Code?: string; Message?: string } | undefined;
  if (!error) return undefined;
  return Object.assign(new Error(error.Message ?? error.Code ?? 'S3 error'), { code: error.Code });
}

export interface Listing {
  readonly objects: Listed[];
  /** Folders, with a delimiter: "a/b/" */
  readonly prefixes: string[];
  /** Continuation token when there is more. */
  readonly next: string | undefined;
}

export function parseListing(xml: string): Listing {
  const root = parser.parse(xml) as Record<string, unknown>;
  const failed = s3Error(root);
  if (failed) throw failed;
  const result = (root.ListBucketResult ?? {}) as {
    Contents?: Array<Record<string, unknown>>;
    CommonPrefixes?: Array<{ Prefix?: unknown }>;
    IsTruncated?: string;
    NextContinuationToken?: string;
  };
  const objects = (result.Contents ?? []).map((item) => ({
    name: String(item.Key),
    size: Number(item.Size),
    etag: unquote(item.ETag),
    lastModified: new Date(String(item.LastModified)),
    metadata:
      item.UserMetadata && typeof item.UserMetadata === 'object'
        ? (item.UserMetadata as Record<string, unknown>)
        : undefined,
  }));
  const prefixes = (result.CommonPrefixes ?? []).map((item) => String(item.Prefix));
  const next = result.IsTruncated === 'true' ? result.NextContinuationToken : undefined;
  return { objects, prefixes, next };
}

/** S3 may answer CompleteMultipartUpload with 200 and an error inside: check both. */
export function parseCompleteResult(xml: string): string {
  const root = parser.parse(xml) as Record<string, unknown>;
  const failed = s3Error(root);
  if (failed) throw failed;
  const result = root.CompleteMultipartUploadResult as { ETag?: unknown } | undefined;
  if (!result) throw new Error('unexpected answer to CompleteMultipartUpload');
  return unquote(result.ETag);
}
