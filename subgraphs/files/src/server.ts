import { readFileSync } from 'node:fs';
import express from 'express';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import { createApolloServer, graphqlHandler } from '@filegraph/shared/apollo';
import { serviceApp } from '@filegraph/shared/app';
import { AppError } from '@filegraph/shared/errors';
import { errorHandler, sendError } from '@filegraph/shared/http';
import { Lifecycle } from '@filegraph/shared/lifecycle';
import type { Logger } from '@filegraph/shared/logger';
import { subgraphRegistration, type Service } from '@filegraph/shared/service';
import { graphqlBody } from '@filegraph/shared/streamingUploads';
import type { FilesConfig } from './config.ts';
import { FileService } from './files/FileService.ts';
import { downloadHandler } from './http/download.ts';
import { fileResolvers } from './resolvers/File.ts';
import { mutationResolvers } from './resolvers/Mutation.ts';
import { queryResolvers } from './resolvers/Query.ts';
import { changesPath, parseChanges } from './storage/PeerChanges.ts';
import type { Storage } from './storage/Storage.ts';

const schemaText = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');
const typeDefs = parse(schemaText);

/**
 * The files subgraph: GraphQL at /graphql (multipart uploads included),
 * downloads at /download/:id, liveness at /health and readiness at /ready.
 * Builds everything; listening is the caller's business (see shared/service).
 */
export async function createFilesService(
  config: FilesConfig,
  storage: Storage,
  logger: Logger,
): Promise<Service> {
  const lifecycle = new Lifecycle();
  const { app, metrics } = serviceApp({
    service: 'files',
    lifecycle,
    checks: [{ name: 'storage', check: (signal) => storage.check(signal) }],
  });
  const files = new FileService(storage, config, logger, metrics);
  const schema = buildSubgraphSchema([
    {
      typeDefs,
      resolvers: {
        Upload: GraphQLUpload,
        File: fileResolvers(files),
        Query: queryResolvers(files),
        Mutation: mutationResolvers(files),
      } as never,
    },
  ]);
  const apollo = createApolloServer({ schema, logger, plugins: [metrics.apolloPlugin()] });
  await apollo.start();

  const download = downloadHandler(storage, logger, metrics);
  app.get('/download/:id', download);
  app.head('/download/:id', download);
  if (storage.noteChanges) {
    const note = storage.noteChanges.bind(storage);
    // Other replicas' changes, for the names index (storage/PeerChanges.ts).
    app.post(changesPath, express.json({ limit: '4mb' }), (req, res) => {
      const changes = parseChanges(req.body);
      if (!changes)
        return sendError(
          res,
          new AppError('BAD_USER_INPUT', 'Expected a list of { name, size? }.'),
        );
      note(changes);
      res.status(204).end();
    });
  }
  app.use(
    '/graphql',
    ...graphqlBody({
      maxFileSize: config.maxFileSize,
      maxFiles: config.maxFiles,
      idleTimeoutMs: config.uploadIdleTimeout,
      logger,
    }),
    graphqlHandler(apollo, logger),
  );
  app.use(errorHandler(logger));

  return {
    name: 'files',
    app,
    lifecycle,
    registration: subgraphRegistration(schemaText),
    start: () => storage.open(),
    async stop() {
      await apollo.stop();
      await storage.close();
    },
  };
}
