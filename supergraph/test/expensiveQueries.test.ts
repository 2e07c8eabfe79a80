import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getIntrospectionQuery } from 'graphql';
import { graphql } from '@filegraph/testing/graphql';
import { errorCode } from '@filegraph/testing/filesClient';
import { tokenHeaders } from '@filegraph/testing/accounts';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { examples } from '../src/http/playground.ts';

/**
 * Small documents that used to cost the gateway seconds to hours of CPU (or
 * a 500), sent to the embedded default with its default limits. Each test's
 * timeout is its hang guard.
 */

/** Fragments F0 … F(n-1), each spreading the next twice (`second` is the second spread), and F(n) holding `leaf`. */
function fanOut(n: number, leaf: string, second = (name: string) => `...${name}`): string {
  const fragments = Array.from(
    { length: n },
    (_, i) => `fragment F${i} on Query { ...F${i + 1} ${second(`F${i + 1}`)} }`,
  );
  return `{ ...F0 } ${fragments.join(' ')} fragment F${n} on Query { ${leaf} }`;
}

describe('expensive queries sent to the gateway', () => {
  let embedded: RunningService;
  let data: { path: string; remove(): Promise<void> };
  let as: () => Record<string, string>;

  before(async () => {
    data = await tempDir('expensive-queries');
    embedded = await startService('embedded', { DATA_DIR: data.path });
    as = await tokenHeaders(embedded.url);
  });
  after(async () => {
    await embedded?.stop();
    await data?.remove();
  });

  async function stillAnswers() {
    const answer = await graphql(
      embedded.url,
      '{ uploadLimits { maxFiles } }',
      {},
      { headers: as() },
    );
    assert.deepEqual(answer.data, { uploadLimits: { maxFiles: 100 } });
  }

  it(
    'when a 1 KB query spreads 30 fragments twice each (2^30 copies), then it is refused with QUERY_TOO_COMPLEX and the gateway answers the next query',
    { timeout: 20_000 },
    async () => {
      const query = fanOut(30, 'uploadLimits { maxFiles }');
      assert.ok(query.length < 1300);
      const refused = await graphql(embedded.url, query, {}, { headers: as() });
      assert.equal(refused.status, 400);
      assert.equal(errorCode(refused), 'QUERY_TOO_COMPLEX');
      assert.match(
        refused.errors?.[0]?.message ?? '',
        /could return 2147483648 fields; at most 20000 .*MAX_QUERY_COST/,
      );
      await stillAnswers();
    },
  );

  it(
    'when the copies end in __typename and a directive tells them apart, then they are refused too, not handed to the query planner',
    { timeout: 20_000 },
    async () => {
      const query = fanOut(30, '__typename', (name) => `...${name} @include(if: true)`);
      const refused = await graphql(embedded.url, query, {}, { headers: as() });
      assert.equal(refused.status, 400);
      assert.equal(errorCode(refused), 'QUERY_TOO_COMPLEX');
      assert.match(refused.errors?.[0]?.message ?? '', /could return 1073741824 fields/);
      await stillAnswers();
    },
  );

  it(
    'when so many copies pass what a double counts exactly, then the refusal says "more than"',
    { timeout: 20_000 },
    async () => {
      const refused = await graphql(
        embedded.url,
        fanOut(60, 'uploadLimits { maxFiles }'),
        {},
        { headers: as() },
      );
      assert.equal(errorCode(refused), 'QUERY_TOO_COMPLEX');
      assert.match(
        refused.errors?.[0]?.message ?? '',
        /could return more than 9007199254740991 fields/,
      );
    },
  );

  it(
    'when a document repeats __typename 50,000 times, then it is refused while parsing with a message naming MAX_QUERY_TOKENS',
    { timeout: 20_000 },
    async () => {
      const refused = await graphql(embedded.url, `{ ${'__typename '.repeat(50_000)}}`);
      assert.equal(refused.status, 400);
      assert.equal(errorCode(refused), 'GRAPHQL_PARSE_FAILED');
      assert.match(
        refused.errors?.[0]?.message ?? '',
        /longer than 3000 tokens .*\(MAX_QUERY_TOKENS\)/,
      );
      await stillAnswers();
    },
  );

  it(
    'when a document nests or chains thousands deep, then it is refused with a 400 that names a limit, never a 500',
    { timeout: 20_000 },
    async () => {
      const deep = {
        'nested inline fragments': `{ ${'... on Query { '.repeat(2500)} __typename ${'} '.repeat(2500)}}`,
        'a chain of fragments': `{ ...F0 } ${Array.from({ length: 5000 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`).join(' ')} fragment F5000 on Query { __typename }`,
        'nested list values': `{ file(id: ${'['.repeat(5000)}"a"${']'.repeat(5000)}) { id } }`,
      };
      for (const [what, query] of Object.entries(deep)) {
        const refused = await graphql(embedded.url, query, {}, { headers: as() });
        assert.equal(refused.status, 400, what);
        assert.equal(errorCode(refused), 'GRAPHQL_PARSE_FAILED', what);
        assert.match(refused.errors?.[0]?.message ?? '', /\(MAX_QUERY_(TOKENS|DEPTH)\)/, what);
      }
      await stillAnswers();
    },
  );

  it('when the playground’s example queries and a full introspection query are sent, then no limit refuses them', async () => {
    const introspection = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    const queries = [
      { title: 'introspection', query: introspection, variables: {} },
      ...examples.filter((example) => !/^\s*(#.*\n\s*)*mutation/.test(example.query)),
    ];
    assert.ok(queries.length >= 5);
    for (const { title, query, variables } of queries) {
      const answer = await graphql(embedded.url, query, variables, { headers: as() });
      const codes = (answer.errors ?? []).map((error) => error.extensions?.code);
      assert.ok(
        !codes.some((code) => code === 'QUERY_TOO_COMPLEX' || code === 'GRAPHQL_PARSE_FAILED'),
        `${title}: ${JSON.stringify(answer.errors)}`,
      );
    }
  });
});
