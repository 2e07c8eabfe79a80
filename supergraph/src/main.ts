import { configOrExit } from '@filegraph/shared/config';
import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { createLogger } from '@filegraph/shared/logger';
import { serve } from '@filegraph/shared/service';
import { loadGatewayConfig } from './config.ts';
import { createGatewayService } from './server.ts';

const config = configOrExit(() => loadGatewayConfig());
const logger = createLogger({
  level: config.logLevel,
  format: config.logFormat,
  fields: { service: 'gateway' },
});

await runUntilSignalled(logger, () =>
  serve(createGatewayService(config, logger, config.subgraphs), {
    host: config.host,
    port: config.port,
    logger,
  }),
);
