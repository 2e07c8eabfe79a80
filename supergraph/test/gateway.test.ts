import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cutOffUpload, generatedContent, graphql } from '@filegraph/testing/graphql';
import { errorCode, FilesClient } from '@filegraph/testing/filesClient';
import { tokenHeaders } from '@filegraph/testing/accounts';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { scrape } from '@filegraph/testing/metrics';

describe('the gateway in the embedded default', () => {
  let embedded: RunningService;
  let data: { path: string; remove(): Promise<void> };
  let api: FilesClient;
  /** The first admin's API token, as a script sends it. */
  let as: () => Record<string, string>;

  before(async () => {
    data = await tempDir('gateway');
    embedded = await startService('embedded', {
      DATA_DIR: data.path,
      MAX_FILE_SIZE: '4MiB',
      MAX_FILES: '3',
      // The health query's test reads the supergraph's subgraphs: details (healthDetails.test.ts has both).
      HEALTH_DETAILS: '1',
    });
    as = await tokenHeaders(embedded.url);
    api = new FilesClient(embedded.url, { headers: as });
  });
  after(async () => {
    await embedded?.stop();
    await data?.remove();
  });

  it('when a subgraph refuses something, then the client sees the subgraph’s code and message through the gateway', async () => {
    const file = await api.put('a.txt', 'a');
    await api.put('b.txt', 'b');
    const conflict = await api.rename(file.id, 'b.txt');
    assert.equal(errorCode(conflict), 'CONFLICT');
    assert.match(conflict.errors?.[0]?.message ?? '', /already exists/);
    assert.equal(errorCode(await api.replace('bm9wZQ', 'x', 'y')), 'NOT_FOUND');
    assert.equal(errorCode(await api.rename(file.id, '../escape')), 'BAD_USER_INPUT');
    assert.deepEqual(Object.keys(conflict.errors?.[0]?.extensions ?? {}), ['code']);
  });

  it('when a file is over MAX_FILE_SIZE, then the gateway refuses it with PAYLOAD_TOO_LARGE and nothing is stored', async () => {
    const response = await api.upload(
      [{ filename: 'big.bin', content: generatedContent(4 * 2 ** 20 + 1) }],
      { prefix: 'limit' },
    );
    assert.equal(errorCode(response), 'PAYLOAD_TOO_LARGE');
    assert.match(response.errors?.[0]?.message ?? '', /4 MiB.*MAX_FILE_SIZE/);
    const exact = await api.upload(
      [{ filename: 'exact.bin', content: generatedContent(4 * 2 ** 20) }],
      { prefix: 'limit' },
    );
    assert.equal(exact.data?.uploadFiles[0]?.size, 4 * 2 ** 20);
    assert.deepEqual(
      (await api.all({ prefix: 'limit' })).map((f) => f.name),
      ['limit/exact.bin'],
    );
  });

  it('when a request carries more than MAX_FILES, then the gateway answers 413 before passing anything on', async () => {
    const files = Array.from({ length: 4 }, (_, i) => ({ filename: `${i}.txt`, content: 'x' }));
    const response = await api.upload(files, { prefix: 'many' });
    assert.equal(response.status, 413);
    assert.equal(errorCode(response), 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(await api.all({ prefix: 'many' }), []);
  });

  it('when a multipart request lacks the preflight header, then it is refused (CSRF protection)', async () => {
    const form = new FormData();
    form.append('operations', '{"query":"{ __typename }"}');
    form.append('map', '{}');
    const response = await fetch(`${embedded.url}/graphql`, {
      method: 'POST',
      headers: as(),
      body: form,
    });
    assert.equal(response.status, 400);
  });

  it('when an upload to the gateway is cut off, then nothing partial is stored and the gateway keeps answering', async () => {
    await cutOffUpload(embedded.url, 'cut.bin', undefined, as());
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(
      (await api.all()).filter((f) => f.name === 'cut.bin'),
      [],
    );
    assert.equal(
      (await graphql(embedded.url, '{ __typename }', {}, { headers: as() })).data?.__typename,
      'Query',
    );
  });

  it('when a query is too deep, uses too many aliases or could return too much, then it is refused with QUERY_TOO_COMPLEX', async () => {
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: uploadLimits { maxFiles }`).join(' ')} }`;
    const tooMany = await graphql(embedded.url, aliases, {}, { headers: as() });
    assert.equal(tooMany.status, 400);
    assert.equal(errorCode(tooMany), 'QUERY_TOO_COMPLEX');
    assert.match(tooMany.errors?.[0]?.message ?? '', /31 aliases.*MAX_QUERY_ALIASES/);
    const costly = await graphql(
      embedded.url,
      `{ ${Array.from({ length: 3 }, (_, i) => `f${i}: files(first: 1000) { nodes { id name size contentType checksum createdAt updatedAt url } }`).join(' ')} }`,
      {},
      { headers: as() },
    );
    assert.equal(errorCode(costly), 'QUERY_TOO_COMPLEX');
    assert.match(costly.errors?.[0]?.message ?? '', /MAX_QUERY_COST/);
    const nested = `${'ofType { '.repeat(12)}name${' }'.repeat(12)}`;
    const deep = await graphql(
      embedded.url,
      `{ __schema { types { fields { type { ${nested} } } } } }`,
      {},
      { headers: as() },
    );
    assert.equal(errorCode(deep), 'QUERY_TOO_COMPLEX');
    assert.match(deep.errors?.[0]?.message ?? '', /MAX_QUERY_DEPTH/);
  });

  it('when a file is downloaded through the gateway, then ranges, validators and HEAD pass through', async () => {
    const file = await api.put('digits.txt', '0123456789', { prefix: 'proxy' });
    const part = await api.download(file.url, { range: 'bytes=3-5' });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), '345');
    assert.equal(
      (await api.download(file.url, { 'if-none-match': `"${file.checksum}"` })).status,
      304,
    );
    const head = await fetch(`${embedded.url}${file.url}`, { method: 'HEAD', headers: as() });
    assert.equal(head.headers.get('content-length'), '10');
    assert.equal(head.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await api.download('/download/bm9wZQ')).status, 404);
  });

  it('when a client sends a request id, then the gateway answers with it', async () => {
    const response = await fetch(`${embedded.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-123', ...as() },
      body: JSON.stringify({ query: '{ uploadLimits { maxFileSize maxFiles } }' }),
    });
    assert.equal(response.headers.get('x-request-id'), 'trace-me-123');
    assert.deepEqual(((await response.json()) as { data: unknown }).data, {
      uploadLimits: { maxFileSize: 4 * 2 ** 20, maxFiles: 3 },
    });
  });

  it('when the health query is asked, then it reports every service, storage and the composed supergraph', async () => {
    const report = await graphql<{
      health: {
        status: string;
        services: Array<{ name: string; status: string }>;
        dependencies: Array<{ name: string; status: string }>;
        supergraph: { status: string; subgraphs: Array<{ name: string }> };
      };
    }>(
      embedded.url,
      '{ health { status services { name status } dependencies { name status } supergraph { status subgraphs { name } } } }',
      {},
      { headers: as() },
    );
    assert.equal(report.errors, undefined);
    const health = report.data?.health;
    assert.equal(health?.status, 'OK');
    assert.deepEqual(
      health?.services.map((s) => [s.name, s.status]),
      [
        ['files', 'OK'],
        ['accounts', 'OK'],
        ['health', 'OK'],
        ['gateway', 'OK'],
      ],
    );
    assert.deepEqual(health?.dependencies, [
      { name: 'storage', status: 'OK' },
      { name: 'catalogue', status: 'OK' },
      { name: 'accounts store', status: 'OK' },
    ]);
    assert.equal(health?.supergraph.status, 'composed');
    assert.deepEqual(
      health?.supergraph.subgraphs.map((s) => s.name),
      ['files', 'accounts', 'health'],
    );
  });

  it('when Prometheus scrapes /metrics, then requests, operations, errors and memory are there', async () => {
    await graphql(embedded.url, '{ uploadLimits { maxFiles } }', {}, { headers: as() });
    await graphql(embedded.url, '{ nope }', {}, { headers: as() });
    const text = await (await fetch(`${embedded.url}/metrics`)).text();
    assert.match(text, /# TYPE filegraph_http_requests_total counter/);
    assert.match(
      text,
      /filegraph_http_requests_total\{method="POST",route="\/graphql",status="200"\} \d+/,
    );
    assert.match(text, /filegraph_graphql_operations_total\{type="query"\} \d+/);
    assert.match(text, /filegraph_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} 1/);
    assert.match(
      text,
      /filegraph_http_request_duration_seconds_bucket\{route="\/graphql",le="0.1"\} \d+/,
    );
    const rss = /filegraph_process_memory_bytes\{kind="rss"\} (\d+)/.exec(text)?.[1];
    assert.ok(Number(rss) > 2 ** 20, `rss ${rss}`);
    assert.match(text, /filegraph_process_memory_bytes\{kind="heap_used"\} \d+/);
  });

  it('when Prometheus scrapes /metrics, then the supergraph is composed, with when and its subgraphs, none missing', async () => {
    const series = await scrape(embedded.url);
    assert.equal(series.get('filegraph_supergraph_state{state="composed"}'), 1);
    assert.equal(series.get('filegraph_supergraph_state{state="stale"}'), 0);
    assert.equal(series.get('filegraph_supergraph_state{state="waiting"}'), 0);
    assert.equal(series.get('filegraph_supergraph_subgraphs_missing'), 0);
    for (const subgraph of ['files', 'accounts', 'health'])
      assert.equal(series.get(`filegraph_supergraph_subgraph{subgraph="${subgraph}"}`), 1);
    const composed = series.get('filegraph_supergraph_composed_timestamp_seconds') ?? 0;
    // Composed as this file's gateway started, a moment ago.
    assert.ok(Date.now() / 1_000 - composed < 300, `composed at ${composed}`);
  });
});
