import { configOrExit } from '@filegraph/shared/config';
import { consulClient } from '@filegraph/shared/consul';
import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { createLogger } from '@filegraph/shared/logger';
import { serve } from '@filegraph/shared/service';
import { consulInstances, staticInstances } from './checks/instances.ts';
import { loadHealthConfig } from './config.ts';
import { createHealthService } from './server.ts';

const config = configOrExit(() => loadHealthConfig());
const logger = createLogger({
  level: config.logLevel,
  format: config.logFormat,
  fields: { service: 'health' },
});
const instances = config.consulHttpAddr
  ? consulInstances(
      consulClient(config.consulHttpAddr, config.consulHttpToken),
      config.internalTls !== undefined,
    )
  : staticInstances(() => config.subgraphs);

await runUntilSignalled(logger, async () =>
  serve(await createHealthService(config, logger, instances), {
    host: config.host,
    port: config.port,
    requestTimeout: config.requestTimeout,
    logger,
    consul: config,
    tls: config.internalTls,
  }),
);
