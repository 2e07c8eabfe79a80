import { configOrExit } from './config.ts';
import { runUntilSignalled } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import { serviceLogger, type LogSettings } from './logs/serviceLogger.ts';
import { serve, type ConsulSettings, type Service } from './service.ts';
import type { InternalTls } from './tls/internalTls.ts';

/** The settings every subgraph reads (serviceSettings, consulSettings, internalTlsSettings). */
export interface SubgraphSettings extends ConsulSettings, LogSettings {
  readonly host: string;
  readonly port: number;
  readonly requestTimeout: number;
  readonly internalTls: InternalTls | undefined;
}

/**
 * A subgraph's entry point: configuration (or a message and exit 1) →
 * logger → the service served, registered in Consul when configured, over
 * internal TLS when configured, until SIGTERM.
 */
export async function runSubgraph<Config extends SubgraphSettings>(
  name: string,
  loadConfig: () => Config,
  createService: (config: Config, logger: Logger) => Promise<Service>,
): Promise<void> {
  const config = configOrExit(loadConfig);
  const logs = serviceLogger(config, { service: name });
  const { logger } = logs;
  await runUntilSignalled(
    logger,
    async () =>
      serve(await createService(config, logger), {
        host: config.host,
        port: config.port,
        requestTimeout: config.requestTimeout,
        logger,
        consul: config,
        tls: config.internalTls,
      }),
    () => logs.close(),
  );
}
