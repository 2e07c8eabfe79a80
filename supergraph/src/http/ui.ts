import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import type { GatewayConfig } from '../config.ts';

/**
 * The web UI at /, on the same origin as /graphql (so uploads need no CORS
 * preflight): files from FRONTEND_DIR, with index.html for every other page path.
 */
export function uiRoutes(config: Pick<GatewayConfig, 'frontendDir'>): Router {
  const router = Router();
  const index = join(config.frontendDir, 'index.html');
  router.use(express.static(config.frontendDir, { index: false, maxAge: '1h' }));
  router.get(/^\/(?!graphql|download|health|ready|metrics|playground).*/, (_req, res) => {
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
