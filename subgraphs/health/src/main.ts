import { configOrExit } from '@filegraph/shared/config';
import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { createLogger } from '@filegraph/shared/logger';
import { serve } from '@filegraph/shared/service';
import { loadHealthConfig } from './config.ts';
import { createHealthService } from './server.ts';

const config = configOrExit(() => loadHealthConfig());
const logger = createLogger({
  level: config.logLevel,
  format: config.logFormat,
  fields: { service: 'health' },
});

const instances = config.subgraphs.map(({ name, url }) => ({ service: name, id: name, url }));

await runUntilSignalled(logger, async () =>
  serve(await createHealthService(config, logger, async () => instances), {
    host: config.host,
    port: config.port,
    logger,
  }),
);
