import type { Agent, AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import type * as Minio from 'minio';
import { AppError } from '@filegraph/shared/errors';
import { http } from '@filegraph/shared/nodeHttp';
import type { Logger } from '@filegraph/shared/logger';
import type {
  ByteRange,
  MeteredBody,
  ObjectInfo,
  Storage,
  Stored,
  StoredObject,
} from '../Storage.ts';
import { PartPool, PartReader, type Part } from './PartReader.ts';
import { s3Call, s3Code } from './s3Errors.ts';
import { parseCompleteResult, parseListing } from './xml.ts';

/** minio-js's CommonJS build: its ES build imports node:http (see @filegraph/shared/nodeHttp). */
const minio = createRequire(import.meta.url)('minio') as typeof Minio;

export interface S3Options {
  readonly endpoint: URL;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  readonly region: string;
  /** Bytes per multipart part; memory per upload is about (partsInFlight + 1) × this. */
  readonly partSize: number;
  readonly partsInFlight: number;
  /** A request with no byte moving for this long fails as UNAVAILABLE. */
  readonly idleTimeoutMs: number;
}

/** A CRC32 as S3 writes it: the four bytes, big-endian, in base64. */
function crc32Header(crc: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc);
  return bytes.toString('base64');
}

/** An http.Agent whose sockets fail once idle too long, so a hung server can't hang us. */
function idleTimeoutAgent(secure: boolean, idleTimeoutMs: number): Agent {
  const options: AgentOptions = { keepAlive: true, maxSockets: 64 };
  const agent = secure ? new HttpsAgent(options) : new http.Agent(options);
  const create = agent.createConnection.bind(agent);
  agent.createConnection = ((...args: Parameters<Agent['createConnection']>) => {
    const socket = create(...args) as Duplex & { setTimeout(ms: number, cb: () => void): void };
    socket.setTimeout(idleTimeoutMs, () =>
      socket.destroy(
        Object.assign(new Error(`no answer within ${idleTimeoutMs} ms`), { code: 'ETIMEDOUT' }),
      ),
    );
    return socket;
  }) as Agent['createConnection'];
  return agent;
}

/**
 * Objects in one bucket of MinIO or any S3-compatible server, with plain
 * object operations only: PUT, GET (with Range), DELETE, multipart upload,
 * and a listing for the reconciler. Keys are never reused (storage/keys.ts),
 * so nothing needs a conditional write, a copy or object metadata: the
 * catalogue holds all of that.
 */
export class S3Store implements Storage {
  readonly kind = 'minio' as const;
  readonly #client: Minio.Client;
  readonly #options: S3Options;
  readonly #logger: Logger;
  readonly #where: string;

  constructor(options: S3Options, logger: Logger) {
    const { endpoint } = options;
    const secure = endpoint.protocol === 'https:';
    this.#options = options;
    this.#logger = logger;
    this.#where = `storage (${endpoint.host}, bucket ${options.bucket})`;
    this.#client = new minio.Client({
      endPoint: endpoint.hostname,
      port: Number(endpoint.port || (secure ? 443 : 80)),
      useSSL: secure,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      transportAgent: idleTimeoutAgent(secure, options.idleTimeoutMs),
      // Retries are decided here, where it is known what is safe to replay.
      retryOptions: { disableRetry: true },
    });
    // Over plain HTTP the client hashes every body with SHA-256 to sign it, a
    // second pass over each upload's bytes beside the checksum the Meter
    // keeps; UNSIGNED-PAYLOAD (as over HTTPS anyway) costs ~20% less CPU per
    // byte. Each multipart part carries a CRC32 instead, which S3 checks.
    this.#client.enableSHA256 = false;
  }

  #call<T>(work: () => Promise<T>): Promise<T> {
    return s3Call(this.#where, work);
  }

  async open(): Promise<void> {
    const { bucket, region } = this.#options;
    await this.#call(async () => {
      if (await this.#client.bucketExists(bucket)) return;
      try {
        await this.#client.makeBucket(bucket, region);
        this.#logger.info('bucket created', { bucket });
      } catch (error) {
        // Another replica may have created it a moment ago.
        if (s3Code(error) !== 'BucketAlreadyOwnedByYou') throw error;
      }
    });
  }

  async close(): Promise<void> {}

  async check(): Promise<void> {
    const exists = await this.#call(() => this.#client.bucketExists(this.#options.bucket));
    if (!exists) throw new Error(`bucket ${this.#options.bucket} does not exist`);
  }

  async put(key: string, body: MeteredBody, contentType: string): Promise<Stored> {
    const { partSize, partsInFlight, bucket } = this.#options;
    const reader = new PartReader(body, new PartPool(partSize, partsInFlight + 1));
    const first = await reader.next(partSize);
    const second = first?.data.length === partSize ? await reader.next(partSize) : undefined;
    if (!second) {
      const content = first?.data ?? Buffer.alloc(0);
      try {
        await this.#call(() =>
          this.#client.putObject(bucket, key, content, content.length, {
            'Content-Type': contentType,
          }),
        );
      } finally {
        first?.release();
      }
    } else await this.#multipart(key, contentType, [first as Part, second], reader);
    return { size: body.size, checksum: body.checksum };
  }

  /**
   * A multipart upload driven here rather than by minio-js's putObject:
   * that one resumes any unfinished upload of the same key and never
   * aborts. Here at most `partsInFlight` parts are in memory, each part
   * carries its CRC32 (the parts are not signed, so this is what lets the
   * server refuse bytes changed on the way), and any failure aborts the
   * upload so nothing partial remains.
   */
  async #multipart(
    key: string,
    contentType: string,
    firstParts: Part[],
    reader: PartReader,
  ): Promise<void> {
    const { bucket, partSize, partsInFlight } = this.#options;
    const uploadId = await this.#call(() =>
      this.#client.initiateNewMultipartUpload(bucket, key, {
        'Content-Type': contentType,
        'x-amz-checksum-algorithm': 'CRC32',
      }),
    );
    const done: Array<{ part: number; etag: string; crc: string }> = [];
    const inFlight = new Set<Promise<void>>();
    // The first part that fails ends the upload at once, even while the
    // client is still sending (or slow to): storage that died mid-upload is
    // told at once, not after the whole body has arrived for nothing.
    const failed = Promise.withResolvers<never>();
    failed.promise.catch(() => {});
    try {
      let number = 0;
      const send = async (payload: Part) => {
        number += 1;
        const part = number;
        const crc = crc32Header(crc32(payload.data));
        const upload = this.#call(() =>
          this.#client.uploadPart(
            {
              bucketName: bucket,
              objectName: key,
              uploadID: uploadId,
              partNumber: part,
              headers: { 'x-amz-checksum-crc32': crc },
            },
            payload.data,
          ),
        )
          .then(({ etag }) => {
            done.push({ part, etag, crc });
          })
          .finally(() => payload.release());
        const tracked = upload.finally(() => inFlight.delete(tracked));
        tracked.catch((error: unknown) => failed.reject(error));
        inFlight.add(tracked);
        if (inFlight.size >= partsInFlight) await Promise.race(inFlight);
      };
      const next = () => Promise.race([reader.next(partSize), failed.promise]);
      for (const payload of firstParts) await send(payload);
      for (let payload = await next(); payload; payload = await next()) await send(payload);
      await Promise.all(inFlight);
      done.sort((a, b) => a.part - b.part);
      const xml = `<CompleteMultipartUpload>${done
        .map(
          ({ part, etag, crc }) =>
            `<Part><PartNumber>${part}</PartNumber><ETag>"${etag}"</ETag><ChecksumCRC32>${crc}</ChecksumCRC32></Part>`,
        )
        .join('')}</CompleteMultipartUpload>`;
      await this.#call(async () => {
        const response = await this.#client.makeRequestAsync(
          {
            method: 'POST',
            bucketName: bucket,
            objectName: key,
            query: `uploadId=${encodeURIComponent(uploadId)}`,
          },
          xml,
          [200],
        );
        parseCompleteResult(await text(response));
      });
    } catch (error) {
      await Promise.allSettled(inFlight);
      await this.#client.abortMultipartUpload(bucket, key, uploadId).catch((abortError: unknown) =>
        this.#logger.warn('could not abort an upload; the server drops it with its stale uploads', {
          key,
          err: abortError,
        }),
      );
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const response = await this.#call(() =>
      this.#client.makeRequestAsync(
        {
          method: 'GET',
          bucketName: this.#options.bucket,
          objectName: key,
          headers: range ? { Range: `bytes=${range.start}-${range.end}` } : {},
        },
        '',
        [200, 206, 404],
      ),
    );
    if (response.statusCode === 404) {
      response.resume();
      throw new AppError('NOT_FOUND', 'The bytes of this file are missing from storage.');
    }
    return response;
  }

  async presign(key: string): Promise<string> {
    // Signed here, offline: the client knows the region, so no request is made.
    return this.#client.presignedGetObject(this.#options.bucket, key, 60);
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      await this.#call(() => this.#client.removeObject(this.#options.bucket, key));
    }
  }

  async describe(key: string): Promise<ObjectInfo | undefined> {
    const response = await this.#call(() =>
      this.#client.makeRequestAsync(
        { method: 'HEAD', bucketName: this.#options.bucket, objectName: key },
        '',
        [200, 404],
      ),
    );
    response.resume();
    if (response.statusCode === 404) return undefined;
    const { headers } = response;
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers))
      if (name.startsWith('x-amz-meta-') && value !== undefined)
        metadata[name.slice('x-amz-meta-'.length)] = String(value);
    return {
      key,
      size: Number(headers['content-length'] ?? 0),
      modified: new Date(String(headers['last-modified'] ?? Date.now())),
      contentType: headers['content-type'],
      metadata,
    };
  }

  async *objects(): AsyncGenerator<StoredObject> {
    let continuation: string | undefined;
    do {
      const query = [
        'list-type=2',
        'max-keys=1000',
        ...(continuation ? [`continuation-token=${encodeURIComponent(continuation)}`] : []),
      ].join('&');
      const page = await this.#call(async () => {
        const response = await this.#client.makeRequestAsync(
          { method: 'GET', bucketName: this.#options.bucket, query },
          '',
          [200],
        );
        return parseListing(await text(response));
      });
      for (const item of page.objects)
        yield { key: item.name, size: item.size, modified: item.lastModified };
      continuation = page.next;
    } while (continuation);
  }
}
