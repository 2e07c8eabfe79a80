import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@filegraph/shared/errors';
import { handoffOfferHeader, handoffType, type Handoff } from '@filegraph/shared/handoff';
import { sendError } from '@filegraph/shared/http';
import type { Logger } from '@filegraph/shared/logger';
import type { Metrics } from '@filegraph/shared/metrics';
import { inlineSafe } from '../files/contentTypes.ts';
import { nameOfId } from '../files/ids.ts';
import { changedMeanwhile } from '../storage/conflicts.ts';
import type { ByteRange, FileRecord, Located, Storage, Version } from '../storage/Storage.ts';
import { parseRange } from './range.ts';

/** Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266, 8187). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const ascii = base.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(base).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Uploaded content must never run as part of our site. Only types that
 * can't carry script are shown in place, and even those come with a CSP
 * that forbids script and, except for PDF (Chrome won't render a PDF in a
 * sandbox), a sandbox that gives the document an opaque origin.
 */
function securityHeaders(res: Response, file: FileRecord, forceDownload: boolean): void {
  const inline = !forceDownload && inlineSafe(file.contentType);
  const sandbox = file.contentType === 'application/pdf' ? '' : '; sandbox';
  res.set({
    'Content-Type': file.contentType,
    'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', file.name),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': `default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'${sandbox}`,
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  });
}

function matches(header: string | undefined, etag: string): boolean {
  return (
    header !== undefined &&
    header.split(',').some((tag) => {
      const t = tag.trim();
      return t === '*' || t === etag || t === `W/${etag}`;
    })
  );
}

/** Moves the answer prepared on `res` into a hand-off (shared/handoff.ts) and sends that instead. */
function sendHandoff(res: Response, located: Located, range: ByteRange | undefined): void {
  const headers: Record<string, string> = {};
  for (const name of res.getHeaderNames()) {
    headers[name] = String(res.getHeader(name));
    res.removeHeader(name);
  }
  const handoff: Handoff = {
    status: res.statusCode,
    headers,
    url: located.url,
    fetchHeaders: {
      'If-Match': `"${located.version}"`,
      ...(range && { Range: `bytes=${range.start}-${range.end}` }),
    },
  };
  res.status(200).set('Content-Type', handoffType).end(JSON.stringify(handoff));
}

const notFound = () =>
  new AppError('NOT_FOUND', 'There is no such file; it may have been renamed or deleted.');

/** How often a download starts again when the file was replaced between look-up and read. */
const attempts = 3;

/**
 * GET|HEAD /download/:id — the exact bytes of a file, with Range requests
 * for players and resumable downloads, and ETag revalidation. A URL that
 * carries the current checksum (?v=) may be cached for good. Headers and
 * bytes always belong to one version: the file is opened (or, for a
 * hand-off, pinned to its ETag) before any header is decided, and a version
 * replaced before its bytes could be read starts the answer again.
 */
export function downloadHandler(
  storage: Storage,
  logger: Logger,
  metrics: Metrics,
): RequestHandler {
  const answer = async (req: Request, res: Response, name: string, attemptsLeft: number) => {
    // The gateway offers to fetch the bytes itself; stores that can say where take it.
    if (req.method === 'GET' && req.get(handoffOfferHeader) === '1' && storage.locate) {
      const located = await storage.locate(name);
      if (!located) return sendError(res, notFound());
      const range = prepare(req, res, located.record);
      if (range === 'answered') return;
      sendHandoff(res, located, range);
      return void metrics.downloadBytes.inc({}, length(range, located.record));
    }
    const opened = await storage.openFile(name);
    if (!opened) return sendError(res, notFound());
    let record = opened.record;
    // Bytes in hand, and the range they were read for.
    let held: { version: Version; range: ByteRange | undefined } | undefined;
    try {
      for (let tries = 1; ; tries += 1) {
        const range = prepare(req, res, record);
        if (range === 'answered') return;
        if (held && sameRange(held.range, range)) return await send(held.version, range, res);
        held?.version.body.destroy();
        held = { version: await opened.read(range), range };
        if (sameRecord(held.version.record, record)) return await send(held.version, range, res);
        // Replaced since it was opened: the answer is for the version whose bytes came.
        if (tries === attempts) throw changedMeanwhile(name);
        for (const header of res.getHeaderNames()) res.removeHeader(header);
        res.status(200);
        record = held.version.record;
      }
    } catch (error) {
      if (error instanceof AppError && error.code === 'CONFLICT' && attemptsLeft > 1) {
        for (const header of res.getHeaderNames()) res.removeHeader(header);
        return answer(req, res.status(200), name, attemptsLeft - 1);
      }
      throw error;
    } finally {
      if (held) held.version.body.destroy();
      else opened.close();
    }
  };

  /** Streams the bytes; headers are out once they flow, so a failure can only cut the answer off. */
  const send = async (version: Version, range: ByteRange | undefined, res: Response) => {
    try {
      await pipeline(version.body, res);
      metrics.downloadBytes.inc({}, length(range, version.record));
    } catch (error) {
      if (!res.destroyed) {
        logger.warn('download broke off', { name: version.record.name, err: error });
        res.destroy();
      }
    }
  };

  return async (req: Request, res: Response) => {
    const name = nameOfId(String(req.params.id));
    if (name === undefined) return sendError(res, notFound());
    try {
      await answer(req, res, name, attempts);
    } catch (error) {
      if (error instanceof AppError && !res.headersSent) return sendError(res, error);
      throw error;
    }
  };
}

function sameRange(a: ByteRange | undefined, b: ByteRange | undefined): boolean {
  return a?.start === b?.start && a?.end === b?.end;
}

function sameRecord(a: FileRecord, b: FileRecord): boolean {
  return (
    a.checksum === b.checksum &&
    a.size === b.size &&
    a.contentType === b.contentType &&
    a.updatedAt.getTime() === b.updatedAt.getTime()
  );
}

function length(range: ByteRange | undefined, file: FileRecord): number {
  return range ? range.end - range.start + 1 : file.size;
}

/**
 * Sets the answer's headers for `file` and settles what needs no bytes (304,
 * 416, HEAD, an empty file): 'answered'. Otherwise the range to send, or
 * undefined for the whole file.
 */
function prepare(
  req: Request,
  res: Response,
  file: FileRecord,
): ByteRange | undefined | 'answered' {
  const etag = `"${file.checksum}"`;
  const current = req.query.v !== undefined && file.checksum.startsWith(String(req.query.v));
  res.set({
    ETag: etag,
    'Last-Modified': file.updatedAt.toUTCString(),
    'Accept-Ranges': 'bytes',
    'Cache-Control': current ? 'private, max-age=31536000, immutable' : 'private, no-cache',
  });
  securityHeaders(res, file, req.query.download !== undefined);
  if (matches(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return 'answered';
  }
  const ifRange = req.get('if-range');
  const range =
    ifRange === undefined || ifRange === etag ? parseRange(req.get('range'), file.size) : undefined;
  if (range === 'unsatisfiable') {
    res.set('Content-Range', `bytes */${file.size}`);
    sendError(
      res,
      new AppError(
        'BAD_USER_INPUT',
        `The requested range is outside the file's ${file.size} bytes.`,
      ),
      416,
    );
    return 'answered';
  }
  if (range) res.status(206).set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  res.set('Content-Length', String(length(range, file)));
  if (req.method === 'HEAD' || file.size === 0) {
    res.end();
    return 'answered';
  }
  return range;
}
