import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { RequestContext } from '@filegraph/shared/apollo';
import { requestIdHeader } from '@filegraph/shared/http';
import { identityHeader, identityKey, verifyIdentity } from '@filegraph/shared/identity';
import { ScriptedServer } from '@filegraph/testing/scriptedServer';
import { operationHeader } from '../src/federation/operationHeader.ts';
import { SubgraphDataSource } from '../src/federation/SubgraphDataSource.ts';
import { CallerLookup } from '../src/identity/CallerLookup.ts';
import { GatewayIdentity } from '../src/identity/GatewayIdentity.ts';

const secret = identityKey('a-secret-for-the-data-source-tests-0123456789');
const identity = new GatewayIdentity(
  new CallerLookup({ identityUrl: () => undefined, secret }),
  secret,
  [],
);

/** What the gateway's executor hands a data source for one incoming query. */
function incoming(query: string, variables: Record<string, unknown> = {}) {
  return {
    kind: 'incoming operation',
    request: { query, variables },
    context: { requestId: 'req-42' },
    incomingRequestContext: { operation: { operation: 'query' } },
  } as unknown as GraphQLDataSourceProcessOptions<RequestContext>;
}

/**
 * How the gateway talks to a subgraph, against a subgraph that answers what
 * each test scripts: plain operations, and every way a subgraph or a proxy
 * in front of it can fail. Uploads through it run in uploads.test.ts.
 */
describe('the gateway’s subgraph requests', () => {
  let subgraph: ScriptedServer;
  let source: SubgraphDataSource;

  before(async () => {
    subgraph = await ScriptedServer.start();
    source = new SubgraphDataSource({
      name: 'files',
      url: `${subgraph.url}/graphql`,
      idleTimeoutMs: 5_000,
      identity,
    });
  });
  after(() => subgraph.close());

  it('when a query is sent, then the subgraph gets it as JSON with the request id and that it is a query', async () => {
    let seen: { headers: IncomingMessage['headers']; body: unknown } | undefined;
    subgraph.handler = (req, res) =>
      void text(req).then((body) => {
        seen = { headers: req.headers, body: JSON.parse(body) };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { files: { nodes: [] } } }));
      });
    const answer = await source.process(incoming('{ files { nodes { id } } }', { first: 2 }));
    assert.deepEqual(answer, { data: { files: { nodes: [] } } });
    assert.deepEqual(seen?.body, { query: '{ files { nodes { id } } }', variables: { first: 2 } });
    assert.equal(seen?.headers['content-type'], 'application/json');
    assert.equal(seen?.headers[requestIdHeader], 'req-42');
    assert.equal(seen?.headers[operationHeader], 'query');
    // Signed on nobody's behalf here (no caller in the context); subgraphs check it.
    const identity = verifyIdentity(String(seen?.headers[identityHeader]), secret);
    assert.equal(identity.caller, null);
  });

  it('when the subgraph refuses with its own error, then its code and message pass through', async () => {
    subgraph.handler = (_req, res) =>
      void res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          errors: [{ message: 'No file named x.', extensions: { code: 'NOT_FOUND' } }],
        }),
      );
    await assert.rejects(source.process(incoming('{ a }')), {
      message: 'No file named x.',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('when a proxy answers 503 with a page of its own, then the client is told the service is not answering', async () => {
    subgraph.handler = (_req, res) =>
      void res
        .writeHead(503, { 'content-type': 'text/html' })
        .end('<h1>503 Service Unavailable</h1>');
    await assert.rejects(source.process(incoming('{ a }')), {
      message: 'The files service is not answering; try again shortly.',
      extensions: { code: 'UNAVAILABLE' },
    });
  });

  it('when something answers 200 with what is not GraphQL, then the client is told the service is not answering', async () => {
    for (const body of ['<html>hello</html>', '"just a string"', '']) {
      subgraph.handler = (_req, res) => void res.writeHead(200).end(body);
      await assert.rejects(source.process(incoming('{ a }')), { code: 'UNAVAILABLE' }, body);
    }
  });

  it('when the subgraph cannot be reached, then the client is told the service is not answering', async () => {
    const gone = new SubgraphDataSource({
      name: 'files',
      url: 'http://127.0.0.1:1/graphql',
      idleTimeoutMs: 5_000,
      identity,
    });
    await assert.rejects(gone.process(incoming('{ a }')), {
      code: 'UNAVAILABLE',
      message: 'The files service is not answering; try again shortly.',
    });
  });
});
