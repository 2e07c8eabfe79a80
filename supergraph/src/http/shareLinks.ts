import type { Agent } from 'node:http';
import express, { type Request, type Router } from 'express';
import type { Logger } from '@filegraph/shared/logger';
import type { GatewayIdentity } from '../identity/GatewayIdentity.ts';
import { downloadProxy } from './downloadProxy.ts';
import { pageHeaders } from './pageHeaders.ts';

/** The header that carries a share link's password to the files service. */
const passwordHeader = 'x-share-password';

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>A file shared with you · filegraph</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem">
<h1 style="font-size: 1.25rem">A file was shared with you</h1>
<form method="post">
<p><label>Password, if the link has one<br>
<input type="password" name="password" autocomplete="off" maxlength="256"></label></p>
<p><button type="submit">Download</button></p>
</form></body></html>`;

const headers = pageHeaders({
  policy: ["default-src 'none'", "form-action 'self'", "base-uri 'none'"],
});

/**
 * Share links, /s/<token>, open to anyone who has the link: the files
 * service (/share/<token>) decides, and answers as for a download. A script
 * GETs the file, with `X-Share-Password` if the link has one; a browser
 * gets a page whose form posts the password (never in the URL, so never in
 * logs or history).
 */
export function shareRoutes(options: {
  filesUrl: () => string | undefined;
  logger: Logger;
  handoff: boolean;
  agent: Agent | undefined;
  identity: GatewayIdentity;
}): Router {
  const passwords = new WeakMap<Request, string>();
  const proxy = downloadProxy(
    options.filesUrl,
    options.logger,
    options.handoff,
    options.agent,
    (req) => {
      const password = passwords.get(req) ?? req.get(passwordHeader);
      // Whoever follows a link goes as nobody: the link is the only right it carries.
      return {
        ...options.identity.headersFor(undefined, 'files'),
        ...(password ? { [passwordHeader]: password } : {}),
      };
    },
    (req) => `share/${encodeURIComponent(String(req.params.token))}`,
  );
  const router = express.Router();
  router.get('/s/:token', (req, res, next) => {
    if (req.accepts(['application/octet-stream', 'text/html']) === 'text/html') {
      return void res.set(headers).set('Cache-Control', 'no-store').type('html').send(page);
    }
    proxy(req, res, next);
  });
  router.head('/s/:token', proxy);
  router.post(
    '/s/:token',
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 }),
    (req, res, next) => {
      const password = (req.body as Record<string, unknown> | undefined)?.password;
      if (typeof password === 'string' && password !== '') passwords.set(req, password);
      // The file is fetched as a GET would be; the form only carried the password.
      req.method = 'GET';
      proxy(req, res, next);
    },
  );
  return router;
}
