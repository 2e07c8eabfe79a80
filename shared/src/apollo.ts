import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { RequestHandler } from 'express';
import { formatError } from './errors.ts';
import { requestIdOf } from './http.ts';
import type { Logger } from './logger.ts';

/** What every resolver receives: the request's id and a logger bound to it. */
export interface RequestContext extends BaseContext {
  readonly requestId: string;
  readonly logger: Logger;
}

type Options = ApolloServerOptions<RequestContext> & { readonly logger: Logger };

/**
 * Apollo Server with the house rules: our logger, our error masking, no
 * stack traces to clients, no CDN landing page (the gateway serves its own
 * playground), CSRF prevention on (multipart needs a preflight header), and
 * signals left to our lifecycle.
 */
export function createApolloServer(options: Options): ApolloServer<RequestContext> {
  const { logger, plugins = [], ...rest } = options;
  const apolloLogger = {
    debug: (message: unknown) => logger.debug(String(message)),
    info: (message: unknown) => logger.info(String(message)),
    warn: (message: unknown) => logger.warn(String(message)),
    error: (message: unknown) => logger.error(String(message)),
  };
  return new ApolloServer<RequestContext>({
    ...rest,
    logger: apolloLogger,
    formatError: formatError(logger),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    introspection: true,
    // Our lifecycle stops the server; Apollo's own handlers would re-raise the signal after stopping.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Traces are only asked for by Apollo Studio, which filegraph does not use.
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...plugins,
    ],
  } as ApolloServerOptions<RequestContext>);
}

/** The Express handler for a started server, giving each request its context. */
export function graphqlHandler(
  server: ApolloServer<RequestContext>,
  logger: Logger,
): RequestHandler {
  return expressMiddleware(server, {
    context: async ({ req }) => {
      const requestId = requestIdOf(req);
      return { requestId, logger: logger.child({ requestId }) };
    },
  });
}
