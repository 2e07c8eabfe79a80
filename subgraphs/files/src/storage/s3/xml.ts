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

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text to plain text: the five named entities and numeric references. */
function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return entities[ref.toLowerCase()] ?? whole;
    const code =
      ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return String.fromCodePoint(code);
  });
}

/** The text of the first <tag>…</tag> in `xml` from `from`, or undefined. */
function element(xml: string, tag: string, from = 0, to = xml.length): string | undefined {
  const open = xml.indexOf(`<${tag}>`, from);
  if (open < 0 || open >= to) return undefined;
  const start = open + tag.length + 2;
  const end = xml.indexOf(`</${tag}>`, start);
  return end < 0 || end > to ? undefined : xml.slice(start, end);
}

/** Every <tag>…</tag> block's inner text. */
function* blocks(xml: string, tag: string): Generator<string> {
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  for (let at = xml.indexOf(open); at >= 0; at = xml.indexOf(open, at)) {
    const end = xml.indexOf(close, at);
    if (end < 0) return;
    yield xml.slice(at + open.length, end);
    at = end + close.length;
  }
}

/** MinIO's <UserMetadata><X-Amz-Meta-Name>value</X-Amz-Meta-Name>…</UserMetadata>. */
function userMetadata(xml: string): Record<string, unknown> | undefined {
  const inner = element(xml, 'UserMetadata');
  if (inner === undefined) return undefined;
  const metadata: Record<string, unknown> = {};
  for (const [, name, value] of inner.matchAll(/<([^\s/>]+)>([^<]*)<\/\1>/g))
    metadata[name as string] = unescapeXml(value as string);
  return Object.keys(metadata).length > 0 ? metadata : undefined;
}

/**
 * A ListObjectsV2 answer. Read with a scanner rather than the XML parser: a
 * search reads every name in the bucket, 1,000 to an answer, and the
 * parser took most of that time.
 */
export function parseListing(xml: string): Listing {
  if (!xml.includes('<ListBucketResult')) {
    const failed = s3Error(parser.parse(xml) as Record<string, unknown>);
    throw failed ?? new Error('unexpected answer to ListObjectsV2');
  }
  const objects: Listed[] = [];
  for (const item of blocks(xml, 'Contents')) {
    objects.push({
      name: unescapeXml(element(item, 'Key') ?? ''),
      size: Number(element(item, 'Size')),
      etag: unquote(unescapeXml(element(item, 'ETag') ?? '')),
      lastModified: new Date(element(item, 'LastModified') ?? ''),
      metadata: userMetadata(item),
    });
  }
  const prefixes = [...blocks(xml, 'CommonPrefixes')].map((item) =>
    unescapeXml(element(item, 'Prefix') ?? ''),
  );
  const token = element(xml, 'NextContinuationToken');
  const next =
    element(xml, 'IsTruncated') === 'true' && token !== undefined ? unescapeXml(token) : undefined;
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
