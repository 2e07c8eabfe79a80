import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { GatewayConfig } from '../config.ts';
import { forward, pickHeaders, relay } from './forward.ts';
import { pageHeaders } from './pageHeaders.ts';

/** Paths the gateway answers itself; everything else is the UI's. */
const uiPath = /^\/(?!graphql|download|health|ready|metrics|playground)/;

/** Request headers the UI server may use (caching, compression). */
const forwarded = ['accept', 'accept-encoding', 'if-none-match', 'if-modified-since', 'range'];

/**
 * What the UI may load: its own scripts and styles (no inline ones, no
 * eval), and from this origin the previews (images, video, audio, a PDF in
 * a frame, the start of a text file fetched) and /graphql. Solid sets
 * element styles through the CSSOM, which style-src does not govern.
 */
const headers = pageHeaders({
  policy: [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "media-src 'self'",
    "frame-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ],
});

/**
 * GET/HEAD of UI paths streamed from the frontend container (compose:
 * http://frontend:8080). The security headers are ours, set over whatever
 * the frontend sends, so a plain static server there is enough.
 */
function proxyTo(base: URL): RequestHandler {
  return (req: Request, res: Response) =>
    forward(
      req,
      res,
      new URL(req.originalUrl, base),
      pickHeaders(req, forwarded),
      () =>
        void res
          .status(502)
          .type('text/plain')
          .send(`The web UI at ${base.origin} is not answering; the API at /graphql still works.`),
      (answer, res) => {
        relay(answer, res);
        res.set(headers);
      },
    );
}

/**
 * The web UI at /, on the same origin as /graphql (so uploads need no CORS
 * preflight): proxied to FRONTEND_URL when that is set, otherwise files from
 * FRONTEND_DIR with index.html for every other page path. Hashed assets are
 * cached for good; index.html never, so a new build shows at once. Every
 * answer carries the page's security headers.
 */
export function uiRoutes(config: Pick<GatewayConfig, 'frontendDir' | 'frontendUrl'>): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set(headers);
    next();
  });
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
