import type { RequestListener } from 'node:http';

/**
 * Every answer over the gateway's own HTTPS says: this host, HTTPS only, for
 * a year (RFC 6797). Not includeSubDomains: the gateway answers for its own
 * name and cannot know that every other name under it (an intranet host, a
 * mail web UI) has HTTPS; a browser that was told would refuse them all for
 * a year. Nor preload, which cannot be taken back quickly. An operator who
 * knows better sets them at a proxy in front (docs/https.md).
 */
export function strictTransport(app: RequestListener): RequestListener {
  return (req, res) => {
    res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    app(req, res);
  };
}
