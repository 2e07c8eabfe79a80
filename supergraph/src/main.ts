import { configOrExit } from '@filegraph/shared/config';
import { consulClient } from '@filegraph/shared/consul';
import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { serviceLogger } from '@filegraph/shared/serviceLogger';
import { serve } from '@filegraph/shared/service';
import { loadGatewayConfig } from './config.ts';
import { ConsulSupergraph } from './federation/ConsulSupergraph.ts';
import { StaticSupergraph } from './federation/SupergraphSource.ts';
import { anonymousHeaders } from './identity/anonymous.ts';
import { createGatewayService } from './server.ts';

const config = configOrExit(() => loadGatewayConfig());
const logs = serviceLogger(config, { service: 'gateway' });
const { logger } = logs;
const source = config.consulHttpAddr
  ? new ConsulSupergraph({
      consul: consulClient(config.consulHttpAddr, config.consulHttpToken),
      router: config.subgraphRouter,
      tls: config.internalTls,
      headers: anonymousHeaders(config.identitySecret),
      logger,
    })
  : new StaticSupergraph(config.subgraphs);

await runUntilSignalled(
  logger,
  () =>
    serve(createGatewayService(config, logger, source), {
      host: config.host,
      port: config.port,
      requestTimeout: config.requestTimeout,
      logger,
      consul: config,
    }),
  () => logs.close(),
);
