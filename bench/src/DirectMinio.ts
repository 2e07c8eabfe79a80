import { Agent } from 'node:http';
import type { Readable } from 'node:stream';
// The baselines are the plain minio client talking to the same MinIO, on purpose outside filegraph.
import { Client } from 'minio';

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
  ): Promise<string> {
    return (await this.#client.putObject(bucket, name, content, size)).etag;
  }

  get(bucket: string, name: string): Promise<Readable> {
    return this.#client.getObject(bucket, name);
  }

  /** What MinIO holds under `name`: its size, and its ETag (the MD5 of the bytes, for a single PUT). */
  async stat(bucket: string, name: string): Promise<{ size: number; etag: string }> {
    const info = await this.#client.statObject(bucket, name);
    return { size: info.size, etag: info.etag };
  }
}
