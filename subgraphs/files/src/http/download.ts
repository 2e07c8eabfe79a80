import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@filegraph/shared/errors';
import { handoffOfferHeader, handoffType, type Handoff } from '@filegraph/shared/handoff';
import { sendError } from '@filegraph/shared/http';
import type { Logger } from '@filegraph/shared/logger';
import type { Metrics } from '@filegraph/shared/metrics';
import { inlineSafe } from '../files/contentTypes.ts';
import type { FileRecord } from '../catalogue/Catalogue.ts';
import type { ByteRange, Storage } from '../storage/Storage.ts';
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
function sendHandoff(res: Response, url: string, range: ByteRange | undefined): void {
  const headers: Record<string, string> = {};
  for (const name of res.getHeaderNames()) {
    headers[name] = String(res.getHeader(name));
    res.removeHeader(name);
  }
  const handoff: Handoff = {
    status: res.statusCode,
    headers,
    url,
    fetchHeaders: range ? { Range: `bytes=${range.start}-${range.end}` } : {},
  };
  res.status(200).set('Content-Type', handoffType).end(JSON.stringify(handoff));
}

/**
 * Which file a request is for: undefined (NOT_FOUND) when there is none it
 * may read. It may itself refuse with an AppError (no identity, a wrong
 * share-link password): that is sent as it is.
 */
export type FileFinder = (req: Request) => Promise<FileRecord | undefined>;

/**
 * GET|HEAD /download/:id (and /share/:token) — the exact bytes of a file, with Range requests
 * for players and resumable downloads, and ETag revalidation. A URL that
 * carries the current checksum (?v=) may be cached for good. Headers and
 * bytes are of one version: the record names the key its bytes are under,
 * and a key's bytes never change (a replaced version's stay a while for
 * readers that already hold its key).
 */
export function downloadHandler(
  find: FileFinder,
  notFound: () => AppError,
  storage: Storage,
  logger: Logger,
  metrics: Metrics,
): RequestHandler {
  return async (req: Request, res: Response) => {
    try {
      const file = await find(req);
      if (!file) return sendError(res, notFound());
      const range = prepare(req, res, file);
      if (range === 'answered') return;
      const bytes = length(range, file);
      // The gateway offers to fetch the bytes itself; stores that serve reads take it.
      if (req.method === 'GET' && req.get(handoffOfferHeader) === '1' && storage.presign) {
        sendHandoff(res, await storage.presign(file.key), range);
        return void metrics.downloadBytes.inc({}, bytes);
      }
      const body = await storage.get(file.key, range);
      try {
        await pipeline(body, res);
        metrics.downloadBytes.inc({}, bytes);
      } catch (error) {
        // Headers are out: the only honest signal left is a cut-off response.
        if (!res.destroyed) {
          logger.warn('download broke off', { id: file.id, err: error });
          res.destroy();
        }
      }
    } catch (error) {
      if (error instanceof AppError && !res.headersSent) return sendError(res, error);
      throw error;
    }
  };
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
