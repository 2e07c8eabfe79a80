import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { Request, RequestHandler, Response } from 'express';
import { formatError } from './errors.ts';
import { requestIdOf } from './http.ts';
import type { Identity } from './identity/identity.ts';
import type { Logger } from './logger.ts';

/**
 * What every resolver receives: the request's id, a logger bound to it, who
 * is calling (shared/src/identity), and the response, for the headers a
 * resolver has to set (the accounts subgraph hands the gateway a session).
 */
export interface RequestContext extends BaseContext {
  readonly requestId: string;
  readonly logger: Logger;
  readonly identity: Identity;
  readonly res: Response;
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

/**
 * The Express handler for a started server, giving each request its
 * context; `identify` says who is calling (a subgraph: identityOf, the
 * gateway's signed header; the gateway: the caller's cookie or token).
 */
export function graphqlHandler(
  server: ApolloServer<RequestContext>,
  logger: Logger,
  identify: (req: Request) => Identity | Promise<Identity>,
): RequestHandler {
  return expressMiddleware(server, {
    context: async ({ req, res }) => {
      const requestId = requestIdOf(req);
      return { requestId, logger: logger.child({ requestId }), identity: await identify(req), res };
    },
  });
}
