import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { request as requestTls } from 'node:https';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { GatewayConfig } from '../config.ts';

/** Paths the gateway answers itself; everything else is the UI's. */
const uiPath = /^\/(?!graphql|download|health|ready|metrics|playground)/;

const agent = new Agent({ keepAlive: true });
/** Request headers the UI server may use (caching, compression). */
const forwarded = ['accept', 'accept-encoding', 'if-none-match', 'if-modified-since', 'range'];
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

/** GET/HEAD of UI paths streamed from the frontend container (compose: http://frontend:8080). */
function proxyTo(base: URL): RequestHandler {
  return (req: Request, res: Response) => {
    const headers: Record<string, string> = {};
    for (const name of forwarded) {
      const value = req.get(name);
      if (value !== undefined) headers[name] = value;
    }
    const send = base.protocol === 'https:' ? requestTls : request;
    const upstream = send(
      new URL(req.originalUrl, base),
      { method: req.method, headers, ...(base.protocol === 'https:' ? {} : { agent }) },
      (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !hopByHop.has(name)) res.setHeader(name, value);
        }
        pipeline(answer, res).catch(() => {
          if (!res.destroyed) res.destroy();
        });
      },
    );
    upstream.on('error', () => {
      if (res.headersSent) return void res.destroy();
      res
        .status(502)
        .type('text/plain')
        .send(`The web UI at ${base.origin} is not answering; the API at /graphql still works.`);
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end();
  };
}

/**
 * The web UI at /, on the same origin as /graphql (so uploads need no CORS
 * preflight): proxied to FRONTEND_URL when that is set, otherwise files from
 * FRONTEND_DIR with index.html for every other page path. Hashed assets are
 * cached for good; index.html never, so a new build shows at once.
 */
export function uiRoutes(config: Pick<GatewayConfig, 'frontendDir' | 'frontendUrl'>): Router {
  const router = Router();
  if (config.frontendUrl) {
    const proxy = proxyTo(config.frontendUrl);
    router.get(uiPath, proxy);
    router.head(uiPath, proxy);
    return router;
  }
  const index = join(config.frontendDir, 'index.html');
  router.use(
    '/assets',
    express.static(join(config.frontendDir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '1y',
    }),
    // A missing hashed asset is an old page asking for an old build: say so, not index.html.
    (_req: Request, res: Response) =>
      void res.status(404).type('text/plain').send('No such asset.'),
  );
  router.use(express.static(config.frontendDir, { index: false, maxAge: '1h' }));
  router.get(uiPath, (_req, res) => {
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The web UI is not built: run `npm run build -w frontend`.');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
