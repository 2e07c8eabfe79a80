import type { ApolloServerPlugin } from '@apollo/server';
import { Router, type RequestHandler } from 'express';
import { isErrorCode } from './errors.ts';

/**
 * Prometheus metrics in the text exposition format
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): counters
 * and histograms with labels, enough for request rates, latencies, upload
 * bytes and errors, without a client library.
 */

type Labels = Readonly<Record<string, string>>;

function key(labels: Labels): string {
  return Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([name, value]) =>
        `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',');
}

/** The process's memory now, by kind: resident, V8 heap used and total, Buffers outside the heap. */
function memoryMetrics(): string {
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  const kinds = {
    rss,
    heap_used: heapUsed,
    heap_total: heapTotal,
    external,
    array_buffers: arrayBuffers,
  };
  return [
    '# HELP filegraph_process_memory_bytes Memory of the process, by kind (process.memoryUsage())',
    '# TYPE filegraph_process_memory_bytes gauge',
    ...Object.entries(kinds).map(
      ([kind, bytes]) => `filegraph_process_memory_bytes{kind="${kind}"} ${bytes}`,
    ),
  ].join('\n');
}

/** Values by label set, rendered as one Prometheus metric of `type`. */
class Series {
  readonly #values = new Map<string, number>();
  readonly #type: 'counter' | 'gauge';
  readonly name: string;
  readonly help: string;

  constructor(type: 'counter' | 'gauge', name: string, help: string) {
    this.#type = type;
    this.name = name;
    this.help = help;
  }

  protected change(labels: Labels, by: number): void {
    const id = key(labels);
    this.#values.set(id, (this.#values.get(id) ?? 0) + by);
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.#type}`];
    for (const [labels, value] of this.#values)
      lines.push(`${this.name}${labels ? `{${labels}}` : ''} ${value}`);
    return lines.join('\n');
  }
}

export class Counter extends Series {
  constructor(name: string, help: string) {
    super('counter', name, help);
  }

  inc(labels: Labels = {}, by = 1): void {
    this.change(labels, by);
  }
}

export class Gauge extends Series {
  constructor(name: string, help: string) {
    super('gauge', name, help);
  }

  add(labels: Labels, by: number): void {
    this.change(labels, by);
  }
}

export class Histogram {
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];

  constructor(name: string, help: string, buckets: readonly number[]) {
    this.name = name;
    this.help = help;
    this.buckets = buckets;
  }

  observe(labels: Labels, value: number): void {
    const id = key(labels);
    let series = this.#series.get(id);
    if (!series) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(id, series);
    }
    for (const [index, bound] of this.buckets.entries()) {
      if (value <= bound) series.counts[index] = (series.counts[index] ?? 0) + 1;
    }
    series.sum += value;
    series.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [labels, series] of this.#series) {
      const prefix = labels ? `${labels},` : '';
      for (const [index, bound] of this.buckets.entries()) {
        lines.push(`${this.name}_bucket{${prefix}le="${bound}"} ${series.counts[index]}`);
      }
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${series.count}`);
      lines.push(`${this.name}_sum${labels ? `{${labels}}` : ''} ${series.sum}`);
      lines.push(`${this.name}_count${labels ? `{${labels}}` : ''} ${series.count}`);
    }
    return lines.join('\n');
  }
}

/** The log shipper's counts (LOGS_URL): one shipper a process, so these are the process's. */
export const logShipping = {
  shipped: new Counter(
    'filegraph_log_lines_shipped_total',
    'Log lines VictoriaLogs has taken (LOGS_URL)',
  ),
  dropped: new Counter(
    'filegraph_log_lines_dropped_total',
    'Log lines not shipped to VictoriaLogs, by reason: full (buffer full), unavailable (VictoriaLogs down, slow or refusing), shutdown (still buffered at exit)',
  ),
};

/** The metrics one service keeps; every service has the HTTP and GraphQL ones. */
export class Metrics {
  readonly requests = new Counter(
    'filegraph_http_requests_total',
    'HTTP requests answered, by route, method and status',
  );
  readonly inFlight = new Gauge(
    'filegraph_http_requests_in_flight',
    'HTTP requests being answered now, by route',
  );
  readonly duration = new Histogram(
    'filegraph_http_request_duration_seconds',
    'Time to answer an HTTP request, by route',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  );
  readonly operations = new Counter(
    'filegraph_graphql_operations_total',
    'GraphQL operations, by type',
  );
  readonly errors = new Counter(
    'filegraph_graphql_errors_total',
    'GraphQL errors sent to clients, by code',
  );
  readonly uploadBytes = new Counter(
    'filegraph_upload_bytes_total',
    'Bytes of file content stored by uploads',
  );
  readonly downloadBytes = new Counter(
    'filegraph_download_bytes_total',
    'Bytes of file content sent by downloads',
  );
  /**
   * One upload operation (uploadFiles, replaceFile) from its resolver's start
   * to its commit, by the size of what it stored: an upload's time grows with
   * its bytes, so a latency alert reads the small ones (see uploadSizeClass).
   */
  readonly uploadDuration = new Histogram(
    'filegraph_upload_duration_seconds',
    'Time of one upload operation until its files are committed, by size class (small: up to 1 MiB, medium: up to 64 MiB, large)',
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  );
  readonly #service: string;
  /** More metrics, computed when scraped (a service's own state, its dependencies). */
  readonly #collectors: Array<() => string | Promise<string>> = [];

  constructor(service: string) {
    this.#service = service;
  }

  /** Adds metrics that `collect` renders (text format, HELP and TYPE included) at each scrape. */
  collect(collect: () => string | Promise<string>): void {
    this.#collectors.push(collect);
  }

  async render(): Promise<string> {
    const all = [
      this.requests,
      this.inFlight,
      this.duration,
      this.operations,
      this.errors,
      this.uploadBytes,
      this.downloadBytes,
      this.uploadDuration,
      logShipping.shipped,
      logShipping.dropped,
    ];
    const collected = await Promise.all(this.#collectors.map((collect) => collect()));
    return `${[...all.map((metric) => metric.render()), memoryMetrics(), ...collected].join('\n')}\n# HELP filegraph_up 1 while the service runs\n# TYPE filegraph_up gauge\nfilegraph_up{service="${this.#service}"} 1\n`;
  }

  /** Counts and times every request; routes are grouped so ids never become labels. */
  httpMiddleware(): RequestHandler {
    return (req, res, next) => {
      const started = process.hrtime.bigint();
      // Read now: routers mounted on a path strip it from req.path before the response ends.
      const route = routeOf(req.path);
      this.inFlight.add({ route }, 1);
      // 'close' also comes when the client leaves early: every request in is counted out.
      res.once('close', () => this.inFlight.add({ route }, -1));
      res.on('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.requests.inc({ route, method: req.method, status: String(res.statusCode) });
        this.duration.observe({ route }, seconds);
      });
      next();
    };
  }

  /** GET /metrics */
  routes(): Router {
    const router = Router();
    router.get('/metrics', async (_req, res) => {
      res.set('Content-Type', 'text/plain; version=0.0.4; charset=utf-8').send(await this.render());
    });
    return router;
  }

  /** Counts operations by type and errors by code, as clients see them. */
  apolloPlugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ operation }) => {
          if (operation) this.operations.inc({ type: operation.operation });
        },
        willSendResponse: async ({ response }) => {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            this.errors.inc({
              code:
                typeof code === 'string' && (isErrorCode(code) || /^[A-Z_]+$/.test(code))
                  ? code
                  : 'OTHER',
            });
          }
        },
      }),
    };
  }
}

const MiB = 1024 * 1024;

/**
 * The size class of an upload of `bytes`, for filegraph_upload_duration_seconds:
 * small ones take about as long whatever their size, so their time is the
 * service's latency; large ones mostly measure the client's bandwidth.
 */
export function uploadSizeClass(bytes: number): 'small' | 'medium' | 'large' {
  if (bytes <= MiB) return 'small';
  return bytes <= 64 * MiB ? 'medium' : 'large';
}

const routes = ['/graphql', '/download', '/health', '/ready', '/metrics', '/playground'];

function routeOf(path: string): string {
  return routes.find((route) => path === route || path.startsWith(`${route}/`)) ?? 'other';
}
