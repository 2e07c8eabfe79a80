import { request } from '@filegraph/shared/httpClient';

/**
 * What the router (HAProxy) makes of each server it might send requests to,
 * read from its stats page as CSV: backend, address and status (UP, DOWN,
 * MAINT, …). Consul may list an instance as passing that the router does not
 * route to (a slot it could not fill, a check of its own that fails): health
 * reports that instance as DEGRADED.
 */
export interface RouterView {
  /** The router's status for `service`'s server at `address:port`; undefined when it has none. */
  statusOf(service: string, address: string, port: number): string | undefined;
}

/** The meta key under which the router's registration says where its CSV stats are. */
export const statsMeta = 'stats_csv';

export function parseStats(csv: string): RouterView {
  const [header = '', ...lines] = csv.split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const [backend, name, status, addr] = ['pxname', 'svname', 'status', 'addr'].map((column) =>
    columns.indexOf(column),
  );
  const servers = new Map<string, string>();
  for (const line of lines) {
    const row = line.split(',');
    const server = row[name ?? -1];
    const where = row[addr ?? -1];
    if (!server || server === 'BACKEND' || server === 'FRONTEND' || !where) continue;
    servers.set(`${row[backend ?? -1]} ${where}`, row[status ?? -1] ?? '');
  }
  return {
    statusOf: (service, address, port) => servers.get(`${service} ${address}:${port}`),
  };
}

/** Reads the router's view, or throws why it could not. */
export async function readRouterView(url: string, timeoutMs: number): Promise<RouterView> {
  const answer = await request(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!answer.ok) throw new Error(`its stats answered HTTP ${answer.status}`);
  return parseStats(answer.text);
}
