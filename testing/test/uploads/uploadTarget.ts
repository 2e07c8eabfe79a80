import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import express from 'express';
import { AppError } from '@filegraph/shared/errors';
import { errorHandler } from '@filegraph/shared/http';
import { createLogger, type Logger } from '@filegraph/shared/logger';
import { graphqlBody, type UploadOptions } from '@filegraph/shared/streamingUploads';

/** What the target's operation saw of one file. */
export interface Seen {
  readonly filename: string;
  readonly size: number;
  readonly sha256: string;
}

interface IncomingUpload {
  readonly promise: Promise<{ filename: string; createReadStream(): Readable }>;
}

/**
 * A real HTTP server on 127.0.0.1 with the upload middleware and an
 * operation that reads its files one after another, in variable order, as
 * the files subgraph does. It answers what it read, or the error that
 * reached it, as a GraphQL response.
 */
export async function startUploadTarget(
  options: Partial<Omit<UploadOptions, 'logger'>> = {},
  logger: Logger = createLogger({ level: 'info', format: 'silent' }),
): Promise<{ port: number; completed: Seen[][]; stop(): Promise<void> }> {
  const completed: Seen[][] = [];
  const app = express();
  app.use(
    '/graphql',
    ...graphqlBody({
      maxFileSize: 1 << 20,
      maxFiles: 3,
      idleTimeoutMs: 300,
      logger,
      ...options,
    }),
    async (req, res) => {
      const uploads = (req.body as { variables?: { files?: IncomingUpload[] } }).variables?.files;
      const seen: Seen[] = [];
      try {
        for (const upload of uploads ?? []) {
          const file = await upload.promise;
          const hash = createHash('sha256');
          let size = 0;
          for await (const chunk of file.createReadStream() as AsyncIterable<Buffer>) {
            size += chunk.length;
            hash.update(chunk);
          }
          seen.push({ filename: file.filename, size, sha256: hash.digest('hex') });
        }
        completed.push(seen);
        res.json({ data: { files: seen } });
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'INTERNAL_SERVER_ERROR';
        res.json({ errors: [{ message: String(error), extensions: { code } }] });
      }
    },
  );
  app.use(errorHandler(logger));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    completed,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
