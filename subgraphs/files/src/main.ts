import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { createLogger } from '@filegraph/shared/logger';
import { serve } from '@filegraph/shared/service';
import { configOrExit } from '@filegraph/shared/config';
import { loadFilesConfig } from './config.ts';
import { createFilesService } from './server.ts';

const config = configOrExit(() => loadFilesConfig());
const logger = createLogger({
  level: config.logLevel,
  format: config.logFormat,
  fields: { service: 'files' },
});

await runUntilSignalled(logger, async () =>
  serve(await createFilesService(config, logger), {
    host: config.host,
    port: config.port,
    requestTimeout: config.requestTimeout,
    logger,
    consul: config,
    tls: config.internalTls,
  }),
);
