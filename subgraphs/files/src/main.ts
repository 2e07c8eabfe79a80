import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { createLogger } from '@filegraph/shared/logger';
import { serve } from '@filegraph/shared/service';
import { configOrExit } from '@filegraph/shared/config';
import { loadFilesConfig } from './config.ts';
import { createFilesService } from './server.ts';
import { createStorage } from './storage/createStorage.ts';

const config = configOrExit(() => loadFilesConfig());
const logger = createLogger({
  level: config.logLevel,
  format: config.logFormat,
  fields: { service: 'files' },
});

await runUntilSignalled(logger, async () => {
  const service = await createFilesService(config, await createStorage(config, logger), logger);
  return serve(service, { host: config.host, port: config.port, logger, consul: config });
});
