/**
 * The embedded default: gateway, files, health and accounts in one Node
 * process, files on local disk and accounts in SQLite under DATA_DIR, no
 * Docker, Consul or HAProxy. The subgraphs listen on free ports on
 * 127.0.0.1 only; the gateway on HOST:PORT (127.0.0.1:4000).
 */
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:https';
import type { PublicTls } from '@filegraph/shared/service';
import { configOrExit } from '@filegraph/shared/config';
import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { serviceLogger } from '@filegraph/shared/serviceLogger';
import { serve, type Service } from '@filegraph/shared/service';
import type { Logger } from '@filegraph/shared/logger';
import { loadAccountsConfig } from '@filegraph/accounts/config';
import { createAccountsService } from '@filegraph/accounts/server';
import { loadFilesConfig } from '@filegraph/files/config';
import { createFilesService } from '@filegraph/files/server';
import { loadHealthConfig } from '@filegraph/health/config';
import { staticInstances } from '@filegraph/health/instances';
import { createHealthService } from '@filegraph/health/server';
import { loadGatewayConfig } from '@filegraph/supergraph/config';
import { createGatewayService } from '@filegraph/supergraph/server';
import { StaticSupergraph } from '@filegraph/supergraph/supergraph';

// One process: the identity secret never leaves it, so a new one each start is enough.
const identity = {
  IDENTITY_SECRET: process.env.IDENTITY_SECRET ?? randomBytes(32).toString('base64url'),
};
const internal = { HOST: '127.0.0.1', PORT: '0', ...identity };
const gatewayConfig = configOrExit(() => loadGatewayConfig(identity));
const filesConfig = configOrExit(() => loadFilesConfig(internal));
const healthConfig = configOrExit(() => loadHealthConfig(internal));
const accountsConfig = configOrExit(() => loadAccountsConfig(internal));
// One process, one logger (and one shipper when LOGS_URL is set): each service's lines carry its name.
const logs = serviceLogger(gatewayConfig);
const { logger } = logs;

/** An agent that trusts exactly this process's own HTTPS certificate, whatever name it carries. */
function ownCertificate(tls: PublicTls): Agent {
  return new Agent({
    ca: tls.server.cert,
    allowPartialTrustChain: true,
    checkServerIdentity: () => undefined,
  });
}

await runUntilSignalled(
  logger,
  async () => {
    const started = performance.now();
    // What health checks: the subgraphs, then the gateway too (it says how composition went).
    const services: Array<{ name: string; url: string }> = [];
    /** Serves one service where its config says, its lines named after it. */
    const serveOne = async (
      name: string,
      config: { host: string; port: number; requestTimeout: number },
      create: (serviceLogger: Logger) => Service | Promise<Service>,
    ) => {
      const serviceLogger = logger.child({ service: name });
      return serve(await create(serviceLogger), {
        host: config.host,
        port: config.port,
        requestTimeout: config.requestTimeout,
        logger: serviceLogger,
      });
    };
    const files = await serveOne('files', filesConfig, (log) =>
      createFilesService(filesConfig, log),
    );
    services.push({ name: 'files', url: `${files.url}/graphql` });
    const accounts = await serveOne('accounts', accountsConfig, (log) =>
      createAccountsService(accountsConfig, log),
    );
    services.push({ name: 'accounts', url: `${accounts.url}/graphql` });
    const health = await serveOne('health', healthConfig, (log) =>
      createHealthService(
        healthConfig,
        log,
        staticInstances(() => services),
      ),
    );
    services.push({ name: 'health', url: `${health.url}/graphql` });
    const gateway = await serveOne('gateway', gatewayConfig, (log) =>
      createGatewayService(gatewayConfig, log, new StaticSupergraph([...services])),
    );
    services.push({
      name: 'gateway',
      url: `${gateway.url}/graphql`,
      // Over HTTPS, checked with its own certificate as the one trusted (its name may be any domain).
      ...(gatewayConfig.publicTls ? { agent: ownCertificate(gatewayConfig.publicTls) } : {}),
    });
    logger.info('filegraph is ready', {
      url: `${gateway.url}/`,
      data: filesConfig.storage === 'disk' ? filesConfig.dataDir : filesConfig.minioEndpoint.href,
      ms: Math.round(performance.now() - started),
    });
    return {
      async stop() {
        await gateway.stop();
        await Promise.all([health.stop(), files.stop(), accounts.stop()]);
      },
    };
  },
  () => logs.close(),
);
