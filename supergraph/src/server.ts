import express, { type RequestHandler } from 'express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { createApolloServer, graphqlHandler } from '@filegraph/shared/apollo';
import { AppError } from '@filegraph/shared/errors';
import { healthRoutes } from '@filegraph/shared/health';
import { createApp, errorHandler, sendError } from '@filegraph/shared/http';
import { Lifecycle } from '@filegraph/shared/lifecycle';
import type { Logger } from '@filegraph/shared/logger';
import type { Service } from '@filegraph/shared/service';
import { explainUploadError, multipartLimits } from '@filegraph/shared/uploads';
import type { GatewayConfig } from './config.ts';
import { SubgraphDataSource } from './federation/SubgraphDataSource.ts';
import { downloadProxy } from './http/downloadProxy.ts';
import { queryLimits } from './limits/queryLimits.ts';
import { uiRoutes } from './http/ui.ts';
import { playgroundRoutes } from './http/playground.ts';

/**
 * The one public entry point: GraphQL at /graphql (uploads streamed on to
 * the files subgraph), downloads at /download/:id, liveness and readiness.
 * Builds everything; listening is the caller's business (see shared/service).
 */
export interface Subgraph {
  readonly name: string;
  readonly url: string;
}

export function createGatewayService(
  config: GatewayConfig,
  logger: Logger,
  subgraphs: readonly Subgraph[],
): Service {
  const lifecycle = new Lifecycle();
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs: [...subgraphs] }),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({ name, url: url ?? '', maxFileSize: config.maxFileSize }),
    logger: logger.child({ component: 'gateway' }),
  });
  const apollo = createApolloServer({ gateway, logger, plugins: [queryLimits(config)] });
  const files = subgraphs.find((subgraph) => subgraph.name === 'files');
  const filesUrl = files ? new URL(files.url) : undefined;

  let graphql: RequestHandler | undefined;
  const app = createApp();
  app.use(
    healthRoutes({
      service: 'gateway',
      lifecycle,
      checks: subgraphs.map(({ name, url }) => ({
        name,
        check: async (signal: AbortSignal) => {
          const response = await fetch(new URL('/ready', url), { signal });
          if (!response.ok) throw new Error(`${name} is not ready (HTTP ${response.status})`);
        },
      })),
    }),
  );
  const download = downloadProxy(() => filesUrl, logger);
  app.get('/download/:id', download);
  app.head('/download/:id', download);
  app.use(
    '/graphql',
    graphqlUploadExpress(multipartLimits(config)),
    express.json({ limit: '1mb' }),
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
  app.use(errorHandler(logger, explainUploadError(config)));

  return {
    name: 'gateway',
    app,
    lifecycle,
    async start() {
      await apollo.start();
      graphql = graphqlHandler(apollo, logger);
    },
    async stop() {
      await apollo.stop();
    },
  };
}
