import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { createLogger } from '@filegraph/shared/logger';
import { consulClient } from '@filegraph/shared/consul';
import { serve } from '@filegraph/shared/service';
import { configOrExit } from '@filegraph/shared/config';
import { loadFilesConfig } from './config.ts';
import { createFilesService } from './server.ts';
import { createStorage } from './storage/createStorage.ts';
import { PeerChanges } from './storage/PeerChanges.ts';

const config = configOrExit(() => loadFilesConfig());
const logger = createLogger({
  level: config.logLevel,
  format: config.logFormat,
  fields: { service: 'files' },
});

await runUntilSignalled(logger, async () => {
  const storage = await createStorage(config, logger);
  const service = await createFilesService(config, storage, logger);
  const served = await serve(service, {
    host: config.host,
    port: config.port,
    requestTimeout: config.requestTimeout,
    logger,
    consul: config,
  });
  const { registration } = served;
  if (registration && config.consulHttpAddr && storage.onChanges) {
    const peers = new PeerChanges(
      consulClient(config.consulHttpAddr),
      service.name,
      registration.id,
      logger,
    );
    storage.onChanges((changes) => peers.announce(changes));
  }
  return served;
});
