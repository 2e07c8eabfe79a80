import { readFileSync } from 'node:fs';
import express from 'express';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createApolloServer, graphqlHandler } from '@filegraph/shared/apollo';
import { serviceApp } from '@filegraph/shared/app';
import { errorHandler } from '@filegraph/shared/http';
import { Lifecycle } from '@filegraph/shared/lifecycle';
import type { Logger } from '@filegraph/shared/logger';
import { identityOf, requireIdentity } from '@filegraph/shared/requireIdentity';
import { subgraphRegistration, type Service } from '@filegraph/shared/service';
import { AccountService, type AccountServiceOptions } from './accounts/AccountService.ts';
import { createAccountStore } from './accounts/createAccountStore.ts';
import type { AccountsConfig } from './config.ts';
import { identityRoute } from './http/identityRoute.ts';
import { apiTokenResolvers } from './resolvers/ApiToken.ts';
import { mutationResolvers } from './resolvers/Mutation.ts';
import { queryResolvers } from './resolvers/Query.ts';
import type { Resolvers } from './generated/resolvers.ts';
import { userResolvers } from './resolvers/User.ts';

const schemaText = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');
const typeDefs = parse(schemaText);

/** Internal options, for tests only: never settings. */
export type InternalOptions = Pick<AccountServiceOptions, 'throttle' | 'now'>;

/**
 * The accounts subgraph: GraphQL at /graphql (users, sessions, API
 * tokens), POST /identity for the gateway, liveness at /health and
 * readiness at /ready. Everything but those two and /metrics needs the
 * gateway's signed identity. Builds everything; listening is the caller's
 * business (see shared/service).
 */
export async function createAccountsService(
  config: AccountsConfig,
  logger: Logger,
  internal: InternalOptions = {},
): Promise<Service> {
  const store = await createAccountStore(config, logger);
  const accounts = new AccountService(
    store,
    {
      signup: config.signup,
      sessionIdleMs: config.sessionIdleTimeout,
      sessionLifetimeMs: config.sessionLifetime,
      admin:
        config.adminEmail && config.adminPassword
          ? { email: config.adminEmail, password: config.adminPassword }
          : undefined,
      ...internal,
    },
    logger,
  );
  const lifecycle = new Lifecycle();
  const { app, metrics } = serviceApp(
    {
      service: 'accounts',
      lifecycle,
      checks: [
        {
          name: 'accounts store',
          dependency: config.store,
          check: (signal) => store.check(signal),
        },
      ],
    },
    logger,
  );
  const schema = buildSubgraphSchema([
    {
      typeDefs,
      resolvers: {
        User: userResolvers(accounts),
        ApiToken: apiTokenResolvers(),
        Query: queryResolvers(accounts),
        Mutation: mutationResolvers(accounts),
      } satisfies Resolvers,
    },
  ]);
  const apollo = createApolloServer({ schema, logger, plugins: [metrics.apolloPlugin()] });
  await apollo.start();

  app.use(requireIdentity(config.identitySecret));
  app.use(identityRoute(accounts));
  app.use('/graphql', express.json({ limit: '100kb' }), graphqlHandler(apollo, logger, identityOf));
  app.use(errorHandler(logger));

  return {
    name: 'accounts',
    app,
    lifecycle,
    registration: subgraphRegistration(schemaText),
    async start() {
      await store.open();
      await accounts.firstRun();
      accounts.startPruning();
    },
    async stop() {
      accounts.stopPruning();
      await apollo.stop();
      await store.close();
    },
  };
}
