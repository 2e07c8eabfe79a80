import type { RequestListener } from 'node:http';

/** A Host header: a plain name or an IP literal, and maybe a port. */
const hostHeader = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i;

/**
 * The plain-HTTP port's one answer (HTTP_REDIRECT_PORT): 308 to the same
 * path and query over HTTPS, on the same host name. The port is the one
 * PUBLIC_ORIGINS gives that name over https (behind a published port or a
 * load balancer, people reach the gateway on 443, not where it listens),
 * else the HTTPS port itself. It never serves the UI or the API over HTTP;
 * 308, not 301, keeps a POST a POST (RFC 9110 §15.4.9).
 */
export function httpsRedirect(
  publicOrigins: readonly string[],
): (httpsPort: number) => RequestListener {
  const published = new Map<string, string>();
  for (const origin of publicOrigins) {
    const url = new URL(origin);
    if (url.protocol === 'https:' && !published.has(url.hostname))
      published.set(url.hostname, url.port === '' ? '' : `:${url.port}`);
  }
  return (httpsPort) => (req, res) => {
    const hostname = hostHeader.exec(req.headers.host ?? '')?.[1]?.toLowerCase();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'close');
    if (!hostname) {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      return void res.end('This port only redirects to HTTPS, which needs a Host header.\n');
    }
    const port = published.get(hostname) ?? (httpsPort === 443 ? '' : `:${httpsPort}`);
    // Origin-form only: an absolute URL in the request line names no path of ours.
    const path = req.url?.startsWith('/') ? req.url : '/';
    res.writeHead(308, { Location: `https://${hostname}${port}${path}` });
    res.end();
  };
}
