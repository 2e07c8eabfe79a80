import type { RequestHandler } from 'express';
import { ApolloGateway } from '@apollo/gateway';
import { createApolloServer, graphqlHandler } from '@filegraph/shared/apollo';
import { AppError } from '@filegraph/shared/errors';
import { serviceApp } from '@filegraph/shared/app';
import { errorHandler, sendError } from '@filegraph/shared/http';
import { request } from '@filegraph/shared/httpClient';
import { Lifecycle } from '@filegraph/shared/lifecycle';
import type { Logger } from '@filegraph/shared/logger';
import type { Service } from '@filegraph/shared/service';
import { graphqlBody } from '@filegraph/shared/streamingUploads';
import { version } from '@filegraph/shared/version';
import type { GatewayConfig } from './config.ts';
import { SubgraphDataSource } from './federation/SubgraphDataSource.ts';
import { refusalStatus } from './limits/refusalStatus.ts';
import { notSignedIn } from '@filegraph/shared/identity';
import { CallerLookup } from './identity/CallerLookup.ts';
import { GatewayIdentity } from './identity/GatewayIdentity.ts';
import type { SupergraphSource } from './federation/SupergraphSource.ts';
import { supergraphMetrics } from './federation/supergraphMetrics.ts';
import { downloadProxy } from './http/downloadProxy.ts';
import { hostCheck } from './http/hostCheck.ts';
import { shareRoutes } from './http/shareLinks.ts';
import { queryLimits } from './limits/queryLimits.ts';
import { uiRoutes } from './http/ui.ts';
import { usageReportRoute } from './http/usageReport.ts';
import { playgroundRoutes } from './http/playground.ts';
import { strictTransport } from './http/strictTransport.ts';

/**
 * The one public entry point: GraphQL at /graphql (uploads streamed on to
 * the files subgraph), downloads at /download/:id, usage reports at
 * /reports/:name (admins), the web UI at /, the
 * playground, liveness and readiness. The supergraph comes from `source`:
 * a static list (the embedded default) or Consul. Builds everything;
 * listening is the caller's business (see shared/service).
 */
export function createGatewayService(
  config: GatewayConfig,
  logger: Logger,
  source: SupergraphSource,
): Service {
  const lifecycle = new Lifecycle();
  // Internal TLS: the certificate expected is the router's, or the subgraph's when it is called directly.
  const agentFor = (subgraph: string) =>
    config.internalTls?.agentFor(config.subgraphRouter ?? subgraph);
  // Who is calling: asked of the accounts subgraph, beside its GraphQL endpoint.
  const identity = new GatewayIdentity(
    new CallerLookup({
      identityUrl: () => {
        const accounts = source.urlOf('accounts');
        return accounts && new URL('identity', accounts).href;
      },
      secret: config.identitySecret,
      agent: agentFor('accounts'),
    }),
    config.identitySecret,
    config.publicOrigins,
  );
  const gateway = new ApolloGateway({
    supergraphSdl: source,
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: url ?? '',
        idleTimeoutMs: config.uploadIdleTimeout,
        agent: agentFor(name),
        identity,
      }),
    logger: logger.child({ component: 'gateway' }),
  });
  let graphql: RequestHandler | undefined;
  const { app, metrics } = serviceApp(
    {
      service: 'gateway',
      lifecycle,
      // Each subgraph's readiness, asked where the gateway sends its requests (through the router).
      checks: () =>
        source.state.subgraphs.map(({ name, url }) => ({
          name,
          check: async (signal: AbortSignal) => {
            const answer = await request(new URL('ready', new URL('.', url)), {
              signal,
              agent: agentFor(name),
              headers: identity.headersFor(undefined, name),
            });
            if (!answer.ok) throw new Error(`${name} is not ready (HTTP ${answer.status})`);
          },
        })),
      details: () => ({ supergraph: source.state }),
      // Public: its subgraphs' URLs and errors stay inside unless HEALTH_DETAILS (issue 19).
      showDetails: config.healthDetails,
      summary: () => ({ supergraph: { status: source.state.status } }),
    },
    logger,
  );
  metrics.collect(() => supergraphMetrics(source));
  // After /health, /ready and /metrics (serviceApp's), which answer any Host.
  app.use(hostCheck(config.publicOrigins));
  // Downloads and GraphQL act for whoever the cookie or token says (UI pages and the playground need nobody).
  app.use(['/graphql', '/download', '/reports'], identity.middleware());
  const apollo = createApolloServer({
    gateway,
    logger,
    parseOptions: { maxTokens: config.maxQueryTokens },
    plugins: [queryLimits(config), refusalStatus(), metrics.apolloPlugin()],
  });
  const download = downloadProxy(
    () => source.urlOf('files'),
    logger,
    config.downloadHandoff,
    agentFor('files'),
    (req) => identity.headersFor(req, 'files'),
  );
  app.get('/download/:id', download);
  app.head('/download/:id', download);
  app.get(
    '/reports/:name',
    usageReportRoute({
      urlOf: (subgraph) => source.urlOf(subgraph),
      agentFor,
      identity,
      logger,
    }),
  );
  app.use(
    shareRoutes({
      filesUrl: () => source.urlOf('files'),
      logger,
      handoff: config.downloadHandoff,
      agent: agentFor('files'),
      identity,
    }),
  );
  app.use(
    '/graphql',
    // Nobody may upload: refused before a byte of the body is read.
    (req, res, next) =>
      req.is('multipart/form-data') && !identity.of(req).caller
        ? sendError(res, notSignedIn())
        : next(),
    ...graphqlBody({
      maxFileSize: config.maxFileSize,
      maxFiles: config.maxFiles,
      idleTimeoutMs: config.uploadIdleTimeout,
      maxUploadsPerClient: config.maxUploadsPerClient,
      logger,
    }),
    (req, res, next) => {
      if (!graphql)
        return sendError(
          res,
          new AppError('UNAVAILABLE', 'The gateway is still starting; try again shortly.'),
        );
      return graphql(req, res, next);
    },
  );
  app.use('/playground', playgroundRoutes());
  app.use(uiRoutes(config));
  app.use(errorHandler(logger));

  return {
    name: 'gateway',
    // With TLS_CERT and TLS_KEY the port speaks HTTPS only, so every answer may say so.
    app: config.publicTls ? strictTransport(app) : app,
    publicTls: config.publicTls,
    lifecycle,
    registration: { tags: ['graphql-gateway'], meta: { version } },
    async start() {
      await apollo.start();
      graphql = graphqlHandler(apollo, logger, (req) => identity.of(req));
    },
    async stop() {
      await apollo.stop();
    },
  };
}
