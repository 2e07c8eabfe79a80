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
import type { SupergraphSource } from './federation/SupergraphSource.ts';
import { downloadProxy } from './http/downloadProxy.ts';
import { hostCheck } from './http/hostCheck.ts';
import { queryLimits } from './limits/queryLimits.ts';
import { uiRoutes } from './http/ui.ts';
import { playgroundRoutes } from './http/playground.ts';

/**
 * The one public entry point: GraphQL at /graphql (uploads streamed on to
 * the files subgraph), downloads at /download/:id, the web UI at /, the
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
  const gateway = new ApolloGateway({
    supergraphSdl: source,
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: url ?? '',
        idleTimeoutMs: config.uploadIdleTimeout,
        agent: agentFor(name),
      }),
    logger: logger.child({ component: 'gateway' }),
  });
  let graphql: RequestHandler | undefined;
  const { app, metrics } = serviceApp({
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
          });
          if (!answer.ok) throw new Error(`${name} is not ready (HTTP ${answer.status})`);
        },
      })),
    details: () => ({ supergraph: source.state }),
    // Public: its subgraphs' URLs and errors stay inside unless HEALTH_DETAILS (issue 19).
    showDetails: config.healthDetails,
    summary: () => ({ supergraph: { status: source.state.status } }),
  });
  // After /health, /ready and /metrics (serviceApp's), which answer any Host.
  app.use(hostCheck(config.publicOrigins));
  const apollo = createApolloServer({
    gateway,
    logger,
    parseOptions: { maxTokens: config.maxQueryTokens },
    plugins: [queryLimits(config), metrics.apolloPlugin()],
  });
  const download = downloadProxy(
    () => source.urlOf('files'),
    logger,
    config.downloadHandoff,
    agentFor('files'),
  );
  app.get('/download/:id', download);
  app.head('/download/:id', download);
  app.use(
    '/graphql',
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
    app,
    lifecycle,
    registration: { tags: ['graphql-gateway'], meta: { version } },
    async start() {
      await apollo.start();
      graphql = graphqlHandler(apollo, logger);
    },
    async stop() {
      await apollo.stop();
    },
  };
}
