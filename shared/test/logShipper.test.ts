import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, readConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { LogShipper, type LogShipperOptions } from '../src/logs/LogShipper.ts';
import { Counter } from '../src/metrics.ts';
import { serviceSettings } from '../src/settings.ts';

/**
 * The shipper against an HTTP server standing in for VictoriaLogs's JSON
 * lines API (the real one is driven by scripts/test/logs.e2e.ts): what it
 * receives, and what a service logging through it sees, when VictoriaLogs
 * takes lines, is down, is slow, or refuses them.
 */

interface Received {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  readonly lines: string[];
}

/** A stand-in for VictoriaLogs: records each batch, then answers as `answer` says. */
class FakeVictoriaLogs {
  readonly received: Received[] = [];
  answer: (res: ServerResponse) => void = (res) => void res.writeHead(200).end();
  readonly #http: Server;
  readonly #held: ServerResponse[] = [];

  constructor() {
    this.#http = createServer((req, res) => void this.#take(req, res));
  }

  async #take(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const url = new URL(req.url ?? '/', 'http://x');
    this.received.push({
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers['content-type'],
      lines: body.split('\n').filter(Boolean),
    });
    this.answer(res);
  }

  /** Answers nothing until closed: a VictoriaLogs that hangs. */
  hang(): void {
    this.answer = (res) => void this.#held.push(res);
  }

  async listen(port = 0): Promise<URL> {
    this.#http.listen(port, '127.0.0.1');
    await once(this.#http, 'listening');
    return new URL(`http://127.0.0.1:${(this.#http.address() as AddressInfo).port}/`);
  }

  async close(): Promise<void> {
    for (const res of this.#held) res.destroy();
    this.#http.closeAllConnections();
    await new Promise((resolve) => this.#http.close(resolve));
  }
}

/** A counter's value for one label set, read from what /metrics would show. */
function valueOf(counter: Counter, labels = ''): number {
  const line = counter
    .render()
    .split('\n')
    .find((l) => l.startsWith(`${counter.name}${labels ? `{${labels}}` : ''} `));
  return Number(line?.split(' ')[1] ?? NaN);
}

/** Resolves once `check` holds, polling; fails the test after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within ${timeoutMs} ms: ${what}`);
    await sleep(10);
  }
}

describe('LogShipper', () => {
  let server: FakeVictoriaLogs;
  let url: URL;
  let shipper: LogShipper | undefined;
  let counters: { shipped: Counter; dropped: Counter };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = new FakeVictoriaLogs();
    url = await server.listen();
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server.close();
  });
  beforeEach(async () => {
    await shipper?.close(100);
    shipper = undefined;
    server.received.length = 0;
    server.answer = (res) => void res.writeHead(200).end();
    counters = {
      shipped: new Counter('shipped', 'lines shipped'),
      dropped: new Counter('dropped', 'lines dropped'),
    };
  });

  /** A logger that writes to `stdout` and ships through a new shipper. */
  const logging = (options: Partial<LogShipperOptions> = {}) => {
    shipper = new LogShipper({ url, counters, intervalMs: 20, ...options });
    const stdout: string[] = [];
    const s = shipper;
    const logger = createLogger({
      level: 'info',
      format: 'json',
      fields: { service: 'files' },
      write: (line) => stdout.push(line),
      ship: (line) => s.write(line),
    });
    return { logger, stdout, shipper: s };
  };

  it('when lines are logged, then they reach the JSON lines API in one batch, named as VictoriaLogs needs, and stdout is unchanged', async () => {
    const { logger, stdout } = logging();
    logger.info('one', { requestId: 'r-1' });
    logger.warn('two');
    logger.debug('below the level: neither written nor shipped');
    logger.info('three');
    await until('one batch', () => server.received.length === 1);
    const [batch] = server.received;
    assert.equal(batch?.path, '/insert/jsonline');
    assert.equal(batch?.contentType, 'application/stream+json');
    assert.equal(batch?.query.get('_time_field'), 'time');
    assert.equal(batch?.query.get('_msg_field'), 'msg');
    assert.equal(batch?.query.get('_stream_fields'), 'service,host,pid');
    assert.match(batch?.query.get('extra_fields') ?? '', new RegExp(`,pid=${process.pid}$`));
    assert.deepEqual(batch?.lines, stdout);
    assert.deepEqual(
      batch?.lines.map((line) => JSON.parse(line).msg),
      ['one', 'two', 'three'],
    );
    assert.equal(JSON.parse(batch?.lines[0] ?? '').requestId, 'r-1');
    await until('counted', () => valueOf(counters.shipped) === 3);
  });

  it('when the format is pretty or silent, then VictoriaLogs still gets JSON lines', async () => {
    const { shipper: s } = logging();
    const stdout: string[] = [];
    createLogger({
      level: 'info',
      format: 'pretty',
      write: (line) => stdout.push(line),
      ship: (line) => s.write(line),
    }).info('for people', { port: 1 });
    createLogger({ level: 'info', format: 'silent', ship: (line) => s.write(line) }).info('quiet');
    await until('two lines', () => server.received.flatMap((b) => b.lines).length === 2);
    assert.doesNotMatch(stdout[0] ?? '', /^\{/);
    const shipped = server.received.flatMap((b) => b.lines).map((l) => JSON.parse(l));
    assert.deepEqual(
      shipped.map((r) => r.msg),
      ['for people', 'quiet'],
    );
  });

  it('when a batch reaches its size, then it goes at once, without waiting for the interval', async () => {
    const { logger } = logging({ intervalMs: 60_000, batchBytes: 1_000 });
    const started = performance.now();
    for (let i = 0; i < 30; i += 1) logger.info('a line of about a hundred bytes', { i });
    // About ten lines a batch; the rest wait for the minute.
    await until('two batches', () => server.received.length >= 2, 1_000);
    assert.ok(performance.now() - started < 1_000);
    for (const batch of server.received) assert.ok(batch.lines.length >= 5);
  });

  it('when the buffer is full, then further lines are dropped and counted, stdout keeps them all, and the buffer takes lines again once a batch has gone', async () => {
    server.hang();
    const { logger, stdout } = logging({ maxLines: 5, timeoutMs: 300 });
    logger.info('first, in flight');
    await until('the first batch sent', () => server.received.length === 1);
    for (let i = 0; i < 20; i += 1) logger.info('while VictoriaLogs hangs', { i });
    assert.equal(stdout.length, 21);
    assert.equal(valueOf(counters.dropped, 'reason="full"'), 15);
    server.answer = (res) => void res.writeHead(200).end();
    // The hung batch times out (unavailable), then the five buffered lines go.
    await until('the buffered lines shipped', () => valueOf(counters.shipped) === 5);
    assert.equal(valueOf(counters.dropped, 'reason="unavailable"'), 1);
  });

  it('when the buffer holds too many bytes, then lines are dropped and counted as full', async () => {
    server.hang();
    const { logger } = logging({ maxBytes: 2_000, timeoutMs: 300 });
    logger.info('first, in flight');
    await until('the first batch sent', () => server.received.length === 1);
    for (let i = 0; i < 50; i += 1) logger.info('x'.repeat(200));
    const full = valueOf(counters.dropped, 'reason="full"');
    // About 270 bytes a line: 7 fit in 2,000.
    assert.ok(full >= 40 && full <= 45, `dropped ${full}`);
  });

  it('when VictoriaLogs is down, then logging never fails nor waits, lines are counted as unavailable, and it says so once, then once when it is back', async () => {
    const down = new FakeVictoriaLogs();
    const port = Number((await down.listen()).port);
    await down.close();
    const reports: string[] = [];
    shipper = new LogShipper({
      url: new URL(`http://127.0.0.1:${port}`),
      counters,
      intervalMs: 20,
      report: (message) => reports.push(message),
    });
    const s = shipper;
    const logger = createLogger({ level: 'info', format: 'silent', ship: (l) => s.write(l) });
    const started = performance.now();
    for (let i = 0; i < 1_000; i += 1) logger.info('request', { i });
    assert.ok(performance.now() - started < 500, 'logging took its time');
    await until('all counted', () => valueOf(counters.dropped, 'reason="unavailable"') === 1_000);
    for (let i = 0; i < 10; i += 1) {
      logger.info('still down');
      await sleep(25);
    }
    await until('counted', () => valueOf(counters.dropped, 'reason="unavailable"') === 1_010);
    assert.deepEqual(reports, [
      'log shipping to VictoriaLogs fails: lines are dropped until it answers',
    ]);
    const back = new FakeVictoriaLogs();
    await back.listen(port);
    try {
      logger.info('back');
      await until('shipped', () => valueOf(counters.shipped) === 1);
      assert.equal(reports.at(-1), 'log shipping to VictoriaLogs works again');
      assert.equal(reports.length, 2);
    } finally {
      await s.close(100);
      await back.close();
    }
    assert.deepEqual(unhandled, []);
  });

  it('when VictoriaLogs refuses a batch (HTTP 400), then its lines are counted as unavailable', async () => {
    server.answer = (res) => void res.writeHead(400).end('cannot parse');
    const reports: Array<Readonly<Record<string, unknown>>> = [];
    const { logger } = logging({ report: (_m, fields) => reports.push(fields) });
    logger.info('refused');
    await until('counted', () => valueOf(counters.dropped, 'reason="unavailable"') === 1);
    assert.match(String(reports[0]?.err), /HTTP 400: cannot parse/);
  });

  it('when the process stops, then close ships what is buffered; when VictoriaLogs hangs, close gives up after its bound and counts the rest', async () => {
    const { logger, shipper: s } = logging({ intervalMs: 60_000 });
    logger.info('last words');
    await s.close(1_000);
    assert.deepEqual(
      server.received.flatMap((b) => b.lines).map((l) => JSON.parse(l).msg),
      ['last words'],
    );

    server.hang();
    const hung = logging({ intervalMs: 60_000 });
    for (let i = 0; i < 3; i += 1) hung.logger.info('never taken');
    const started = performance.now();
    await hung.shipper.close(200);
    const took = performance.now() - started;
    assert.ok(took >= 190 && took < 1_000, `close took ${took} ms`);
    assert.equal(valueOf(counters.dropped, 'reason="shutdown"'), 3);
    assert.deepEqual(unhandled, []);
  });

  it('when shipping starts, then every drop reason shows on /metrics at zero', () => {
    logging();
    for (const reason of ['full', 'unavailable', 'shutdown'])
      assert.equal(valueOf(counters.dropped, `reason="${reason}"`), 0);
    assert.equal(valueOf(counters.shipped), 0);
  });
});

describe('LOGS_URL', () => {
  const read = (value: string | undefined) =>
    readConfig(serviceSettings(4001), { LOGS_URL: value }).logsUrl;

  it('when it is unset or empty, then nothing is shipped', () => {
    assert.equal(read(undefined), undefined);
    assert.equal(read(''), undefined);
  });

  it('when it is an http(s) URL, then lines go to its /insert/jsonline, under its path if it has one', async () => {
    assert.equal(read('http://victorialogs:9428')?.href, 'http://victorialogs:9428/');
    const server = new FakeVictoriaLogs();
    const base = await server.listen();
    const shipper = new LogShipper({
      url: new URL('vl', base),
      intervalMs: 10,
      counters: { shipped: new Counter('s', 's'), dropped: new Counter('d', 'd') },
    });
    try {
      shipper.write('{"msg":"behind a proxy"}');
      await until('a batch', () => server.received.length === 1);
      assert.equal(server.received[0]?.path, '/vl/insert/jsonline');
    } finally {
      await shipper.close(100);
      await server.close();
    }
  });

  it('when it is not an http(s) URL, then start-up stops, naming it', () => {
    assert.throws(
      () => read('victorialogs:9428'),
      (error: unknown) =>
        error instanceof ConfigError &&
        /LOGS_URL must be a URL \(http: or https:\)/.test(error.message),
    );
  });
});
