import type { Agent, AgentOptions, IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import type * as Minio from 'minio';
import { http } from '@filegraph/shared/nodeHttp';
import type { Logger } from '@filegraph/shared/logger';
import type { Meter } from '../../files/Meter.ts';
import { parentFolders, searchFold } from '../../files/names.ts';
import { NameLocks } from '../NameLocks.ts';
import { alreadyExists, changedMeanwhile, isFolder, notFound, parentIsFile } from '../conflicts.ts';
import type {
  ByteRange,
  FileRecord,
  ListQuery,
  Located,
  NameChange,
  Opened,
  Page,
  Version,
  Storage,
  WriteOptions,
} from '../Storage.ts';
import { NamesIndex } from './NamesIndex.ts';
import { PartPool, PartReader, type Part } from './PartReader.ts';
import { s3Call, s3Code } from './s3Errors.ts';
import { parseCompleteResult, parseListing, type Listed, type Listing } from './xml.ts';
import { comparator, isAfter } from '../order.ts';

/** minio-js's CommonJS build: its ES build imports node:http (see @filegraph/shared/nodeHttp). */
const minio = createRequire(import.meta.url)('minio') as typeof Minio;

export interface MinioOptions {
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
  /** The names index (search, size order) is read from the bucket again after this long. */
  readonly indexRefreshMs: number;
}

/**
 * A folder that held a file this replica stored this recently is taken to be
 * a folder still, not a file: a burst of uploads into one folder checks its
 * parents once, not once per file. The folder rule's check is not atomic
 * anyway (another replica may write between check and PUT); this widens
 * its window by at most this.
 */
const knownFolderMs = 1_000;

/** S3's headers for a multipart upload whose parts and whole carry CRC32s (see #multipart). */
const crc32Name = 'x-amz-checksum-crc32';
const fullObjectCrc32 = {
  'x-amz-checksum-algorithm': 'CRC32',
  'x-amz-checksum-type': 'FULL_OBJECT',
};
/** A CRC32 as S3 writes it: the four bytes, big-endian, in base64. */
function crc32Header(crc: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc);
  return bytes.toString('base64');
}

/** S3 copies at most 5 GiB in one request; larger objects are copied part by part. */
const maxSingleCopy = 5 * 2 ** 30;

const meta = {
  checksum: 'sha256',
  createdAt: 'created-at',
  updatedAt: 'updated-at',
} as const;

/** A listed file; not `complete` when it lacks metadata and must be looked up for the page. */
interface Candidate extends FileRecord {
  readonly complete: boolean;
}

interface Found {
  readonly record: FileRecord;
  readonly etag: string;
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

function date(value: string | undefined, fallback: Date): Date {
  const parsed = value ? new Date(value) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : fallback;
}

/** Lower-cases metadata keys and strips S3's x-amz-meta- prefix. */
function plainMetadata(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    out[key.toLowerCase().replace(/^x-amz-meta-/, '')] = String(value);
  }
  return out;
}

/**
 * Files as objects in one bucket of MinIO, or any S3-compatible server,
 * under their own names. The content hash, created and updated times travel
 * as object metadata, so every replica sees the same file with no index of
 * its own. Writes are conditional (If-None-Match / If-Match) so that two
 * replicas racing on one name never mix contents or overwrite silently.
 */
export class MinioStorage implements Storage {
  readonly kind = 'minio' as const;
  readonly #client: Minio.Client;
  readonly #options: MinioOptions;
  readonly #logger: Logger;
  readonly #locks = new NameLocks();
  readonly #where: string;
  readonly #index: NamesIndex;
  readonly #listeners: Array<(changes: readonly NameChange[]) => void> = [];
  /** Folders that held a file this replica stored moments ago (name → until when, ms). */
  readonly #knownFolders = new Map<string, number>();

  constructor(options: MinioOptions, logger: Logger) {
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
    // second pass over each upload's bytes beside the checksum FileService
    // keeps; signing them UNSIGNED-PAYLOAD, as it does over HTTPS anyway,
    // costs the replica ~20% less CPU per byte (TCP still checks every byte).
    this.#client.enableSHA256 = false;
    this.#index = new NamesIndex(() => this.#scanSizes(), options.indexRefreshMs, logger);
  }

  /** Changes other replicas made (PeerChanges), for the names index. */
  noteChanges(changes: readonly NameChange[]): void {
    this.#index.apply(changes);
  }

  /** Calls `listener` with every change this replica makes, for the other replicas. */
  onChanges(listener: (changes: readonly NameChange[]) => void): void {
    this.#listeners.push(listener);
  }

  #changed(changes: readonly NameChange[]): void {
    const until = performance.now() + knownFolderMs;
    if (this.#knownFolders.size > 10_000) this.#knownFolders.clear();
    for (const { name, size } of changes) {
      if (size === undefined) continue;
      this.#knownFolders.delete(name);
      for (const parent of parentFolders(name)) this.#knownFolders.set(parent, until);
    }
    this.#index.apply(changes);
    for (const listener of this.#listeners) listener(changes);
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

  async stat(name: string): Promise<FileRecord | undefined> {
    return (await this.#find(name))?.record;
  }

  /** HEAD of one object; a missing one is undefined, not an exception (one per new name adds up). */
  async #find(name: string): Promise<Found | undefined> {
    const response = await this.#call(() =>
      this.#client.makeRequestAsync(
        { method: 'HEAD', bucketName: this.#options.bucket, objectName: name },
        '',
        [200, 404],
      ),
    );
    response.resume();
    if (response.statusCode === 404) return undefined;
    return this.#foundIn(name, response.headers, Number(response.headers['content-length'] ?? 0));
  }

  /** The object a HEAD or GET answered about, from its headers; `size` is the whole object's. */
  #foundIn(name: string, headers: IncomingHttpHeaders, size: number): Found {
    const metadata: Record<string, string> = {
      'content-type': String(headers['content-type'] ?? 'application/octet-stream'),
    };
    for (const [key, value] of Object.entries(headers)) {
      if (key.startsWith('x-amz-meta-') && value !== undefined)
        metadata[key.slice('x-amz-meta-'.length)] = String(value);
    }
    const etag = String(headers.etag ?? '').replace(/^"|"$/g, '');
    const lastModified = new Date(String(headers['last-modified'] ?? Date.now()));
    return { etag, record: this.#record(name, size, etag, lastModified, metadata) };
  }

  #record(
    name: string,
    size: number,
    etag: string,
    lastModified: Date,
    metadata: Record<string, string>,
  ): FileRecord {
    return {
      name,
      size,
      contentType: metadata['content-type'] ?? 'application/octet-stream',
      checksum: metadata[meta.checksum] ?? etag,
      createdAt: date(metadata[meta.createdAt], lastModified),
      updatedAt: date(metadata[meta.updatedAt], lastModified),
    };
  }

  async list(query: ListQuery): Promise<Page> {
    const { order } = query;
    if (query.search === undefined && order.field === 'name' && !order.descending)
      return this.#listInOrder(query);
    return this.#listScanned(query);
  }

  /** S3 lists in name order: read from the cursor until one file more than a page is in hand. */
  async #listInOrder(query: ListQuery): Promise<Page> {
    const listed: Listed[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.#listRaw({
        prefix: query.prefix,
        after: continuation ? undefined : query.after?.name,
        maxKeys: Math.max(1, query.limit + 1 - listed.length),
        metadata: true,
        delimiter: query.recursive ? undefined : '/',
        continuation,
      });
      listed.push(...page.objects);
      continuation = page.next;
    } while (listed.length <= query.limit && continuation);
    const files = await this.#withMetadata(listed.slice(0, query.limit));
    return { files, hasMore: listed.length > query.limit, totalCount: undefined };
  }

  /**
   * S3 has neither search nor other orders: every name under the prefix is
   * matched, sorted and cut here, which also gives the number of matches.
   * Names and sizes come from the names index; only the updatedAt order
   * lists the bucket (with metadata) each time. The page's files are then
   * looked up one by one, which also drops a name removed meanwhile.
   */
  async #listScanned(query: ListQuery): Promise<Page> {
    const all =
      query.order.field === 'updatedAt'
        ? await this.#scanWithMetadata(query)
        : await this.#fromIndex(query);
    all.sort(comparator(query.order));
    const { after } = query;
    const from = after ? all.filter((file) => isAfter(file, after, query.order)) : all;
    const page = await Promise.all(
      from.slice(0, query.limit).map((file) => (file.complete ? file : this.stat(file.name))),
    );
    return {
      files: page.filter((file) => file !== undefined),
      hasMore: from.length > query.limit,
      totalCount: all.length,
    };
  }

  async #fromIndex(query: ListQuery): Promise<Candidate[]> {
    const { prefix, recursive, search } = query;
    const epoch = new Date(0);
    const matches: Candidate[] = [];
    for (const [name, { size, folded }] of await this.#index.names()) {
      if (!name.startsWith(prefix)) continue;
      if (!recursive && name.includes('/', prefix.length)) continue;
      if (search !== undefined && !folded.includes(search)) continue;
      matches.push({ ...this.#record(name, size, '', epoch, {}), complete: false });
    }
    return matches;
  }

  async #scanWithMetadata(query: ListQuery): Promise<Candidate[]> {
    const matches: Candidate[] = [];
    const pages = this.#listAll({
      prefix: query.prefix,
      metadata: true,
      delimiter: query.recursive ? undefined : '/',
    });
    for await (const page of pages) {
      for (const item of page.objects) {
        if (query.search !== undefined && !searchFold(item.name).includes(query.search)) continue;
        matches.push({ ...this.#recordOf(item), complete: item.metadata !== undefined });
      }
    }
    return matches;
  }

  /** Every name in the bucket with its size: what the names index is built from. */
  async #scanSizes(): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    for await (const page of this.#listAll({ prefix: '', metadata: false })) {
      for (const item of page.objects) sizes.set(item.name, item.size);
    }
    return sizes;
  }

  async folders(prefix: string): Promise<string[]> {
    const folders: string[] = [];
    for await (const page of this.#listAll({ prefix, metadata: false, delimiter: '/' })) {
      folders.push(...page.prefixes);
    }
    return folders;
  }

  /** Every page of a listing, 1000 names to a page, following continuation tokens. */
  async *#listAll(options: {
    prefix: string;
    metadata: boolean;
    delimiter?: string | undefined;
  }): AsyncGenerator<Listing> {
    let continuation: string | undefined;
    do {
      const page = await this.#listRaw({ ...options, maxKeys: 1000, continuation });
      yield page;
      continuation = page.next;
    } while (continuation);
  }

  /**
   * One ListObjectsV2 request. With `metadata`, MinIO's extension returns each
   * object's user metadata too; other S3 servers ignore the parameter, and
   * #withMetadata asks for what is missing object by object.
   */
  async #listRaw(options: {
    prefix: string;
    maxKeys: number;
    metadata: boolean;
    after?: string | undefined;
    delimiter?: string | undefined;
    continuation?: string | undefined;
  }): Promise<Listing> {
    const query = new URLSearchParams({ 'list-type': '2', 'max-keys': String(options.maxKeys) });
    if (options.prefix) query.set('prefix', options.prefix);
    if (options.after) query.set('start-after', options.after);
    if (options.delimiter) query.set('delimiter', options.delimiter);
    if (options.continuation) query.set('continuation-token', options.continuation);
    if (options.metadata) query.set('metadata', 'true');
    return this.#call(async () => {
      const response = await this.#client.makeRequestAsync(
        {
          method: 'GET',
          bucketName: this.#options.bucket,
          query: query.toString().replace(/\+/g, '%20'),
        },
        '',
        [200],
      );
      return parseListing(await text(response));
    });
  }

  async #withMetadata(listed: readonly Listed[]): Promise<FileRecord[]> {
    return Promise.all(
      listed.map(async (item) => {
        const record = this.#recordOf(item);
        return item.metadata ? record : ((await this.stat(item.name)) ?? record);
      }),
    );
  }

  /** A listed object as a file; without listed metadata, the ETag stands in for the checksum. */
  #recordOf(item: Listed): FileRecord {
    return this.#record(
      item.name,
      item.size,
      item.etag,
      item.lastModified,
      plainMetadata(item.metadata ?? {}),
    );
  }

  async write(name: string, body: Meter, options: WriteOptions): Promise<FileRecord> {
    const record = await this.#write(name, body, options);
    this.#changed([{ name, size: record.size }]);
    return record;
  }

  async #write(name: string, body: Meter, options: WriteOptions): Promise<FileRecord> {
    const { partSize, partsInFlight } = this.#options;
    const reader = new PartReader(body, new PartPool(partSize, partsInFlight + 1));
    const first = await reader.next(partSize);
    const second = first?.data.length === partSize ? await reader.next(partSize) : undefined;
    if (!second && options.mode === 'create')
      return this.#createSmall(name, first?.data ?? Buffer.alloc(0), body, options);
    const existing = await this.#admit(name, options.mode);
    const now = new Date();
    const createdAt = existing?.record.createdAt ?? now;
    // Create only when the name is still free; replace only the version we saw.
    const condition: Record<string, string> = existing
      ? { 'If-Match': `"${existing.etag}"` }
      : { 'If-None-Match': '*' };
    const headers = {
      'Content-Type': options.contentType,
      [`X-Amz-Meta-${meta.createdAt}`]: createdAt.toISOString(),
      [`X-Amz-Meta-${meta.updatedAt}`]: now.toISOString(),
    };
    const record = (size: number, checksum: string): FileRecord => ({
      name,
      size,
      contentType: options.contentType,
      checksum,
      createdAt,
      updatedAt: now,
    });
    // Someone else took the free name, or changed the file we are replacing.
    const refused = () => (existing ? changedMeanwhile(name) : alreadyExists(name));
    if (!first || !second) {
      const content = first?.data ?? Buffer.alloc(0);
      await this.#conditional(refused, () =>
        this.#client.putObject(this.#options.bucket, name, content, content.length, {
          ...headers,
          [`X-Amz-Meta-${meta.checksum}`]: body.checksum,
          ...condition,
        }),
      );
      return record(body.size, body.checksum);
    }
    const etag = await this.#multipart(name, headers, condition, [first, second], reader, refused);
    await this.#setChecksum(name, etag, headers, body.checksum);
    return record(body.size, body.checksum);
  }

  /**
   * A new file that fits one PUT: the folder rule is checked first, then the
   * PUT is conditional (it never overwrites). The check cannot run beside
   * the PUT: once MinIO holds an object "a/b", a listing of "a/b/" comes
   * back empty, so a check that lost the race to its own PUT passed, and
   * the files in the folder "a/b" vanished from every listing.
   */
  async #createSmall(
    name: string,
    content: Buffer,
    body: Meter,
    options: WriteOptions,
  ): Promise<FileRecord> {
    await this.#checkFolders(name);
    const now = new Date();
    await this.#conditional(
      () => alreadyExists(name),
      () =>
        this.#client.putObject(this.#options.bucket, name, content, content.length, {
          'Content-Type': options.contentType,
          [`X-Amz-Meta-${meta.createdAt}`]: now.toISOString(),
          [`X-Amz-Meta-${meta.updatedAt}`]: now.toISOString(),
          [`X-Amz-Meta-${meta.checksum}`]: body.checksum,
          'If-None-Match': '*',
        }),
    );
    return {
      name,
      size: body.size,
      contentType: options.contentType,
      checksum: body.checksum,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Runs a conditional request; a failed precondition becomes `refused()`. */
  async #conditional<T>(refused: () => Error, work: () => Promise<T>): Promise<T> {
    try {
      return await this.#call(work);
    } catch (error) {
      if (s3Code(error) === 'PreconditionFailed') throw refused();
      throw error;
    }
  }

  /**
   * A multipart upload driven here rather than by minio-js's putObject:
   * that one resumes any unfinished upload of the same name (two concurrent
   * replaces would share parts) and never aborts. Here each upload has its
   * own id, at most `partsInFlight` parts are in memory, and any failure
   * aborts the upload so nothing partial remains.
   *
   * Every part carries its CRC32 and the completion the whole object's, so
   * MinIO refuses bytes changed on the way (the parts are not signed) and
   * the object has a full-object checksum. Without one, MinIO gives the
   * object a CRC64 when #setChecksum copies it onto itself, which means
   * reading and writing every byte again (a 256 MiB upload cost MinIO 2.2 s
   * of CPU instead of 0.6).
   */
  async #multipart(
    name: string,
    headers: Record<string, string>,
    condition: Record<string, string>,
    firstParts: Part[],
    reader: PartReader,
    refused: () => Error,
  ): Promise<string> {
    const { bucket, partSize, partsInFlight } = this.#options;
    const uploadId = await this.#call(() =>
      this.#client.initiateNewMultipartUpload(bucket, name, { ...headers, ...fullObjectCrc32 }),
    );
    const done: Array<{ part: number; etag: string; crc: string }> = [];
    const inFlight = new Set<Promise<void>>();
    let whole = 0;
    try {
      let number = 0;
      const send = async (payload: Part) => {
        number += 1;
        const part = number;
        const crc = crc32Header(crc32(payload.data));
        whole = crc32(payload.data, whole);
        const upload = this.#call(() =>
          this.#client.uploadPart(
            {
              bucketName: bucket,
              objectName: name,
              uploadID: uploadId,
              partNumber: part,
              headers: { [crc32Name]: crc },
            },
            payload.data,
          ),
        )
          .then(({ etag }) => {
            done.push({ part, etag, crc });
          })
          .finally(() => payload.release());
        const tracked = upload.finally(() => inFlight.delete(tracked));
        // Its failure is awaited below (race or all); until then it must not count as unhandled.
        tracked.catch(() => {});
        inFlight.add(tracked);
        if (inFlight.size >= partsInFlight) await Promise.race(inFlight);
      };
      for (const payload of firstParts) await send(payload);
      for (
        let payload = await reader.next(partSize);
        payload;
        payload = await reader.next(partSize)
      ) {
        await send(payload);
      }
      await Promise.all(inFlight);
      done.sort((a, b) => a.part - b.part);
      const xml = `<CompleteMultipartUpload>${done
        .map(
          ({ part, etag, crc }) =>
            `<Part><PartNumber>${part}</PartNumber><ETag>"${etag}"</ETag><ChecksumCRC32>${crc}</ChecksumCRC32></Part>`,
        )
        .join('')}</CompleteMultipartUpload>`;
      return await this.#conditional(refused, async () => {
        const response = await this.#client.makeRequestAsync(
          {
            method: 'POST',
            bucketName: bucket,
            objectName: name,
            query: `uploadId=${encodeURIComponent(uploadId)}`,
            headers: { ...condition, ...fullObjectCrc32, [crc32Name]: crc32Header(whole) },
          },
          xml,
          [200],
        );
        return parseCompleteResult(await text(response));
      });
    } catch (error) {
      await Promise.allSettled(inFlight);
      await this.#client.abortMultipartUpload(bucket, name, uploadId).catch((abortError: unknown) =>
        this.#logger.warn('could not abort an upload; MinIO drops it with its stale uploads', {
          name,
          err: abortError,
        }),
      );
      throw error;
    }
  }

  /**
   * A multipart upload's metadata is sent before its content, so the hash is
   * added after completion by a copy onto itself, and only if the object is
   * still the one this upload wrote. The copy touches metadata only because
   * the object has a full-object checksum (#multipart).
   */
  async #setChecksum(
    name: string,
    etag: string,
    headers: Record<string, string>,
    checksum: string,
  ): Promise<void> {
    const { bucket } = this.#options;
    const userMetadata: Record<string, string> = { [meta.checksum]: checksum };
    for (const [key, value] of Object.entries(headers)) {
      if (key.startsWith('X-Amz-Meta-')) userMetadata[key.slice('X-Amz-Meta-'.length)] = value;
    }
    try {
      await this.#call(() =>
        this.#client.copyObject(
          new minio.CopySourceOptions({ Bucket: bucket, Object: name, MatchETag: etag }),
          new minio.CopyDestinationOptions({
            Bucket: bucket,
            Object: name,
            MetadataDirective: 'REPLACE',
            UserMetadata: userMetadata,
            Headers: { 'Content-Type': headers['Content-Type'] ?? 'application/octet-stream' },
          }),
        ),
      );
    } catch (error) {
      this.#logger.warn('stored without its checksum; the ETag stands in for it', {
        name,
        err: error,
      });
    }
  }

  /**
   * A HEAD now; the bytes later, with no condition: their GET answers with
   * the headers of the version it sends, which read() reports. (With
   * If-Match on the HEAD's ETag, a file replaced many times a second made
   * downloads fail again and again between the two requests.)
   */
  async openFile(name: string): Promise<Opened | undefined> {
    const found = await this.#find(name);
    if (!found) return undefined;
    return {
      record: found.record,
      read: (range?: ByteRange) => this.#get(name, range),
      close: () => {},
    };
  }

  async #get(name: string, range: ByteRange | undefined): Promise<Version> {
    const response = await this.#call(() =>
      this.#client.makeRequestAsync(
        {
          method: 'GET',
          bucketName: this.#options.bucket,
          objectName: name,
          headers: range ? { Range: `bytes=${range.start}-${range.end}` } : {},
        },
        '',
        [200, 206, 404, 416],
      ),
    );
    const { statusCode, headers } = response;
    const total = /\/(\d+)$/.exec(String(headers['content-range'] ?? ''))?.[1];
    if (statusCode === 404 || statusCode === 416 || (range && total === undefined)) {
      response.resume();
      // Gone, or now too short for the range: the caller looks again.
      throw statusCode === 404 ? notFound(name) : changedMeanwhile(name);
    }
    const size = Number(total ?? headers['content-length'] ?? 0);
    return { record: this.#foundIn(name, headers, size).record, body: response };
  }

  async locate(name: string): Promise<Located | undefined> {
    const found = await this.#find(name);
    if (!found) return undefined;
    // Signed here, offline: the client knows the region, so no request is made.
    const url = await this.#client.presignedGetObject(this.#options.bucket, name, 60);
    return { record: found.record, url, version: found.etag };
  }

  async rename(from: string, to: string, overwrite: boolean): Promise<FileRecord> {
    const record = await this.#rename(from, to, overwrite);
    if (from !== to) this.#changed([{ name: from }, { name: to, size: record.size }]);
    return record;
  }

  #rename(from: string, to: string, overwrite: boolean): Promise<FileRecord> {
    return this.#locks.with([from, to], async () => {
      const source = await this.#find(from);
      if (!source) throw notFound(from);
      if (from === to) return source.record;
      const target = await this.#admit(to, overwrite ? 'upsert' : 'create');
      const { bucket } = this.#options;
      // S3 ignores If-None-Match on copies: claim the free name with an empty
      // conditional PUT first, so two renames onto one name can't both win.
      if (!target) {
        await this.#conditional(
          () => alreadyExists(to),
          () => this.#client.putObject(bucket, to, Buffer.alloc(0), 0, { 'If-None-Match': '*' }),
        );
      }
      try {
        await this.#conditional(
          () => changedMeanwhile(from),
          () => this.#copy(from, to, source),
        );
      } catch (error) {
        if (!target) await this.#client.removeObject(bucket, to).catch(() => {});
        throw error;
      }
      await this.#call(() => this.#client.removeObject(bucket, from));
      return { ...source.record, name: to };
    });
  }

  #copy(from: string, to: string, source: Found): Promise<unknown> {
    const { bucket } = this.#options;
    const origin = new minio.CopySourceOptions({
      Bucket: bucket,
      Object: from,
      MatchETag: source.etag,
    });
    const destination = new minio.CopyDestinationOptions({ Bucket: bucket, Object: to });
    return source.record.size <= maxSingleCopy
      ? this.#client.copyObject(origin, destination)
      : this.#client.composeObject(destination, [origin]);
  }

  async remove(name: string): Promise<boolean> {
    const removed = await this.#locks.with([name], async () => {
      if (!(await this.#find(name))) return false;
      await this.#call(() => this.#client.removeObject(this.#options.bucket, name));
      return true;
    });
    if (removed) this.#changed([{ name }]);
    return removed;
  }

  /** Refuses what the mode or the folder rule forbids; returns the file it would replace. */
  async #admit(name: string, mode: 'create' | 'replace' | 'upsert'): Promise<Found | undefined> {
    const [existing, folders] = await Promise.allSettled([
      this.#find(name),
      this.#checkFolders(name),
    ]);
    if (existing.status === 'rejected') throw existing.reason;
    if (existing.value && mode === 'create') throw alreadyExists(name);
    if (!existing.value && mode === 'replace') throw notFound(name);
    if (folders.status === 'rejected') throw folders.reason;
    return existing.value;
  }

  /**
   * S3 itself lets "a" and "a/b" coexist; a disk can't, and MinIO lists
   * nothing under "a/" once "a" exists, so neither do we: `name` may not be
   * a folder, and none of its folders may be a file.
   */
  async #checkFolders(name: string): Promise<void> {
    const now = performance.now();
    const unknown = parentFolders(name).filter(
      (parent) => (this.#knownFolders.get(parent) ?? 0) < now,
    );
    const [inside, parents] = await Promise.all([
      this.#listRaw({ prefix: `${name}/`, maxKeys: 1, metadata: false }),
      Promise.all(unknown.map(async (parent) => ((await this.#find(parent)) ? parent : undefined))),
    ]);
    if (inside.objects.length > 0) throw isFolder(name);
    const fileParent = parents.find((parent) => parent !== undefined);
    if (fileParent) throw parentIsFile(fileParent, name);
  }
}
