import { readFileSync } from 'node:fs';
import express from 'express';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createApolloServer, graphqlHandler } from '@filegraph/shared/apollo';
import { serviceApp } from '@filegraph/shared/app';
import { errorHandler } from '@filegraph/shared/http';
import { Lifecycle } from '@filegraph/shared/lifecycle';
import { identityOf, requireIdentity } from '@filegraph/shared/requireIdentity';
import type { Logger } from '@filegraph/shared/logger';
import { subgraphRegistration, type Service } from '@filegraph/shared/service';
import type { InstanceSource } from './checks/instances.ts';
import { SystemHealth } from './checks/SystemHealth.ts';
import type { HealthConfig } from './config.ts';
import type { Resolvers } from './generated/resolvers.ts';
import { queryResolvers } from './resolvers/Query.ts';

const schemaText = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');
const typeDefs = parse(schemaText);

/** The health subgraph: the `health` query, plus its own liveness and readiness. */
export async function createHealthService(
  config: HealthConfig,
  logger: Logger,
  instances: InstanceSource,
): Promise<Service> {
  const system = new SystemHealth(instances, {
    timeoutMs: config.checkTimeout,
    router: config.subgraphRouter,
    details: config.healthDetails,
    tls: config.internalTls,
  });
  const schema = buildSubgraphSchema([
    { typeDefs, resolvers: { Query: queryResolvers(system) } satisfies Resolvers },
  ]);
  const lifecycle = new Lifecycle();
  const { app, metrics } = serviceApp(
    {
      service: 'health',
      lifecycle,
      checks: [],
      showDetails: config.healthDetails,
    },
    logger,
  );
  const apollo = createApolloServer({ schema, logger, plugins: [metrics.apolloPlugin()] });
  await apollo.start();

  // Everything below answers the gateway only: it signs who is calling.
  app.use(requireIdentity(config.identitySecret));
  app.use('/graphql', express.json({ limit: '1mb' }), graphqlHandler(apollo, logger, identityOf));
  app.use(errorHandler(logger));
  return {
    name: 'health',
    app,
    lifecycle,
    registration: subgraphRegistration(schemaText),
    start: async () => {},
    stop: () => apollo.stop(),
  };
}
