/** A Host header's name and port; anything that is not a plain name or IP literal is no host. */
const hostHeader = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Names that reach only this machine whatever DNS says (RFC 6761 §6.3;
 * browsers resolve *.localhost themselves), so no page elsewhere can rebind
 * one of them to us. Any port: the gateway does not know which one a
 * container or tunnel publishes it on.
 */
function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '127.0.0.1' ||
    hostname === '[::1]'
  );
}

/**
 * Whether a Host header names this gateway: a localhost name, or one of
 * `origins` (scheme://host[:port]). A Host without a port matches an origin
 * on its scheme's default port, as a browser sends it.
 */
export function allowedHost(origins: readonly string[]): (host: string | undefined) => boolean {
  const allowed = new Set<string>();
  for (const origin of origins) {
    const url = new URL(origin);
    if (url.port === '') {
      allowed.add(url.hostname);
      allowed.add(`${url.hostname}:${defaultPorts[url.protocol]}`);
    } else allowed.add(url.host);
  }
  return (host) => {
    const match = hostHeader.exec(host ?? '');
    if (!match) return false;
    const hostname = (match[1] ?? '').toLowerCase().replace(/\.$/, '');
    if (isLoopback(hostname)) return true;
    return allowed.has(match[2] === undefined ? hostname : `${hostname}:${match[2]}`);
  };
}
