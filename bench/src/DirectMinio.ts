import { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
// The baselines are the plain minio client talking to the same MinIO, on purpose outside filegraph.
import { Client } from 'minio';

export interface ListedPage {
  readonly keys: string[];
  readonly next: string | undefined;
}

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
};

const unescapeXml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos);/g, (e) => entities[e] ?? e);

/** The storage filegraph sits on, reached without filegraph: what every row is compared with. */
export class DirectMinio {
  readonly #client: Client;

  constructor(endpoint: string, accessKey: string, secretKey: string) {
    const url = new URL(endpoint);
    this.#client = new Client({
      endPoint: url.hostname,
      port: Number(url.port),
      useSSL: false,
      accessKey,
      secretKey,
      // Same pooling as the files driver: kept-alive sockets, many at once.
      transportAgent: new Agent({ keepAlive: true, maxSockets: 64 }),
    });
  }

  async ensureBucket(bucket: string): Promise<void> {
    if (!(await this.#client.bucketExists(bucket))) await this.#client.makeBucket(bucket);
  }

  /** putObject with the size known, as ARCHITECTURE.md advises; resolves with the ETag. */
  async put(
    bucket: string,
    name: string,
    content: Buffer | Readable,
    size: number,
    metadata: Record<string, string> = {},
  ): Promise<string> {
    return (await this.#client.putObject(bucket, name, content, size, metadata)).etag;
  }

  get(bucket: string, name: string): Promise<Readable> {
    return this.#client.getObject(bucket, name);
  }

  async stat(bucket: string, name: string): Promise<{ size: number; sha256: string | undefined }> {
    const info = await this.#client.statObject(bucket, name);
    const metadata = Object.fromEntries(
      Object.entries(info.metaData).map(([key, value]) => [key.toLowerCase(), String(value)]),
    );
    return { size: info.size, sha256: metadata['sha256'] ?? metadata['x-amz-meta-sha256'] };
  }

  /**
   * One ListObjectsV2 request with MinIO's metadata extension: the same
   * request the files driver makes for a page of files.
   */
  async listPage(options: {
    bucket: string;
    maxKeys: number;
    /** MinIO's extension: each object's user metadata too. */
    metadata: boolean;
    startAfter?: string;
    continuation?: string;
  }): Promise<ListedPage> {
    const query = new URLSearchParams({ 'list-type': '2', 'max-keys': String(options.maxKeys) });
    if (options.metadata) query.set('metadata', 'true');
    if (options.startAfter) query.set('start-after', options.startAfter);
    if (options.continuation) query.set('continuation-token', options.continuation);
    const response = await this.#client.makeRequestAsync(
      { method: 'GET', bucketName: options.bucket, query: query.toString().replace(/\+/g, '%20') },
      '',
      [200],
    );
    const xml = await text(response);
    const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1] ?? ''));
    const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
    const token = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1];
    return { keys, next: truncated && token ? unescapeXml(token) : undefined };
  }
}
