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
  isArray: (_name, path) => path === 'ListBucketResult.Contents',
});

function unquote(etag: unknown): string {
  return String(etag ?? '').replace(/^"|"$/g, '');
}

function s3Error(root: Record<string, unknown>): Error | undefined {
  const error = root.Error as { Code?: string; Message?: string } | undefined;
  if (!error) return undefined;
  return Object.assign(new Error(error.Message ?? error.Code ?? 'S3 error'), { code: error.Code });
}

export function parseListing(xml: string): { objects: Listed[]; next: string | undefined } {
  const root = parser.parse(xml) as Record<string, unknown>;
  const failed = s3Error(root);
  if (failed) throw failed;
  const result = (root.ListBucketResult ?? {}) as {
    Contents?: Array<Record<string, unknown>>;
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
  const next = result.IsTruncated === 'true' ? result.NextContinuationToken : undefined;
  return { objects, next };
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
