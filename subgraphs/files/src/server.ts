import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import { createApolloServer, graphqlHandler } from '@filegraph/shared/apollo';
import { serviceApp } from '@filegraph/shared/app';
import { AppError } from '@filegraph/shared/errors';
import { errorHandler } from '@filegraph/shared/http';
import { Lifecycle } from '@filegraph/shared/lifecycle';
import { identityOf, requireIdentity } from '@filegraph/shared/requireIdentity';
import type { Logger } from '@filegraph/shared/logger';
import { subgraphRegistration, type Service } from '@filegraph/shared/service';
import { graphqlBody } from '@filegraph/shared/streamingUploads';
import type { FilesConfig } from './config.ts';
import { createCatalogue } from './catalogue/createCatalogue.ts';
import { adoptLegacy } from './files/adoptLegacy.ts';
import { FileService } from './files/FileService.ts';
import { Sweeper } from './files/Sweeper.ts';
import { downloadHandler } from './http/download.ts';
import { shareHandler } from './http/share.ts';
import { usageReportHandler } from './http/usageReport.ts';
import type { Resolvers } from './generated/resolvers.ts';
import { fileResolvers } from './resolvers/File.ts';
import { mutationResolvers } from './resolvers/Mutation.ts';
import { queryResolvers } from './resolvers/Query.ts';
import { shareLinkResolvers } from './resolvers/ShareLink.ts';
import { UsageService } from './report/UsageService.ts';
import { ShareService } from './shares/ShareService.ts';
import { createStorage } from './storage/createStorage.ts';

const schemaText = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');
const typeDefs = parse(schemaText);

/**
 * The files subgraph: GraphQL at /graphql (multipart uploads included),
 * downloads at /download/:id, share links at /share/:token, liveness at /health and readiness at /ready.
 * Builds everything; listening is the caller's business (see shared/service).
 * `now`: the clock share links expire by, for tests.
 */
export async function createFilesService(
  config: FilesConfig,
  logger: Logger,
  options: { readonly now?: () => Date } = {},
): Promise<Service> {
  const storage = await createStorage(config, logger);
  const catalogue = await createCatalogue(config, logger);
  const lifecycle = new Lifecycle();
  const { app, metrics } = serviceApp(
    {
      service: 'files',
      lifecycle,
      checks: [
        {
          name: 'storage',
          dependency: config.storage,
          check: (signal) => storage.check(signal),
        },
        {
          name: 'catalogue',
          dependency: config.catalogue,
          check: (signal) => catalogue.check(signal),
        },
      ],
    },
    logger,
  );
  const files = new FileService(catalogue, storage, config, logger, metrics);
  const shares = new ShareService(catalogue, files, options.now);
  const usage = new UsageService(
    catalogue,
    { maxAgeMs: config.usageSummaryMaxAge, pageSize: 1000 },
    logger,
  );
  const sweeper = new Sweeper(
    catalogue,
    storage,
    {
      intervalMs: config.sweepInterval,
      trashRetentionMs: config.trashRetention,
      // No upload outlives its request; past that, its bytes are nobody's.
      staleWriteMs: config.requestTimeout + config.sweepInterval,
    },
    logger,
  );
  const schema = buildSubgraphSchema([
    {
      typeDefs,
      resolvers: {
        Upload: GraphQLUpload,
        File: fileResolvers(files),
        ShareLink: shareLinkResolvers(),
        Query: queryResolvers(files, shares, usage),
        Mutation: mutationResolvers(files, shares),
      } satisfies Resolvers,
    },
  ]);
  const apollo = createApolloServer({ schema, logger, plugins: [metrics.apolloPlugin()] });
  await apollo.start();

  // Everything below answers the gateway only: it signs who is calling.
  app.use(requireIdentity(config.identitySecret));
  const download = downloadHandler(
    async (req) => files.get(await files.callerOf(identityOf(req)), String(req.params.id)),
    () => new AppError('NOT_FOUND', 'There is no such file; it may have been deleted.'),
    storage,
    logger,
    metrics,
  );
  app.get('/download/:id', download);
  app.head('/download/:id', download);
  const share = shareHandler(shares, storage, logger, metrics);
  app.get('/share/:token', share);
  app.head('/share/:token', share);
  // The gateway's GET becomes a POST whose body names the owners (http/usageReport.ts).
  app.post(
    '/reports/:name',
    express.json({ limit: '32mb' }),
    usageReportHandler(usage, (req) => files.callerOf(identityOf(req)), logger),
  );
  app.use(
    '/graphql',
    ...graphqlBody({
      maxFileSize: config.maxFileSize,
      maxFiles: config.maxFiles,
      idleTimeoutMs: config.uploadIdleTimeout,
      logger,
    }),
    graphqlHandler(apollo, logger, identityOf),
  );
  app.use(errorHandler(logger));

  return {
    name: 'files',
    app,
    lifecycle,
    registration: subgraphRegistration(schemaText),
    async start() {
      await storage.open();
      await catalogue.open();
      await adoptLegacy(catalogue, storage, resolve(config.dataDir), logger);
      sweeper.start();
    },
    async stop() {
      await sweeper.stop();
      await apollo.stop();
      await catalogue.close();
      await storage.close();
    },
  };
}
