import { readFileSync } from 'node:fs';
import express from 'express';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createApolloServer, graphqlHandler } from '@filegraph/shared/apollo';
import { healthRoutes } from '@filegraph/shared/health';
import { createApp, errorHandler } from '@filegraph/shared/http';
import { Lifecycle } from '@filegraph/shared/lifecycle';
import type { Logger } from '@filegraph/shared/logger';
import type { Service } from '@filegraph/shared/service';
import { SystemHealth, type Instance } from './checks/SystemHealth.ts';
import type { HealthConfig } from './config.ts';
import { queryResolvers } from './resolvers/Query.ts';

const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** The health subgraph: the `health` query, plus its own liveness and readiness. */
export async function createHealthService(
  config: HealthConfig,
  logger: Logger,
  instances: () => Promise<readonly Instance[]>,
): Promise<Service> {
  const system = new SystemHealth(instances, config.checkTimeout);
  const schema = buildSubgraphSchema([
    { typeDefs, resolvers: { Query: queryResolvers(system) } as never },
  ]);
  const apollo = createApolloServer({ schema, logger });
  await apollo.start();

  const lifecycle = new Lifecycle();
  const app = createApp();
  app.use(healthRoutes({ service: 'health', lifecycle, checks: [] }));
  app.use('/graphql', express.json({ limit: '1mb' }), graphqlHandler(apollo, logger));
  app.use(errorHandler(logger));
  return {
    name: 'health',
    app,
    lifecycle,
    start: async () => {},
    stop: () => apollo.stop(),
  };
}
