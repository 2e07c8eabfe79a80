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
import { createLogger } from '@filegraph/shared/logger';
import { serve } from '@filegraph/shared/service';
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
const logger = createLogger({ level: gatewayConfig.logLevel, format: gatewayConfig.logFormat });

/** An agent that trusts exactly this process's own HTTPS certificate, whatever name it carries. */
function ownCertificate(tls: PublicTls): Agent {
  return new Agent({
    ca: tls.server.cert,
    allowPartialTrustChain: true,
    checkServerIdentity: () => undefined,
  });
}

await runUntilSignalled(logger, async () => {
  const started = performance.now();
  // What health checks: the subgraphs, then the gateway too (it says how composition went).
  const services: Array<{ name: string; url: string }> = [];
  const filesLogger = logger.child({ service: 'files' });
  const files = await serve(await createFilesService(filesConfig, filesLogger), {
    host: filesConfig.host,
    port: filesConfig.port,
    requestTimeout: filesConfig.requestTimeout,
    logger: filesLogger,
  });
  services.push({ name: 'files', url: `${files.url}/graphql` });
  const accountsLogger = logger.child({ service: 'accounts' });
  const accounts = await serve(await createAccountsService(accountsConfig, accountsLogger), {
    host: accountsConfig.host,
    port: accountsConfig.port,
    requestTimeout: accountsConfig.requestTimeout,
    logger: accountsLogger,
  });
  services.push({ name: 'accounts', url: `${accounts.url}/graphql` });
  const healthLogger = logger.child({ service: 'health' });
  const health = await serve(
    await createHealthService(
      healthConfig,
      healthLogger,
      staticInstances(() => services),
    ),
    {
      host: healthConfig.host,
      port: healthConfig.port,
      requestTimeout: healthConfig.requestTimeout,
      logger: healthLogger,
    },
  );
  services.push({ name: 'health', url: `${health.url}/graphql` });
  const gatewayLogger = logger.child({ service: 'gateway' });
  const gateway = await serve(
    createGatewayService(gatewayConfig, gatewayLogger, new StaticSupergraph([...services])),
    {
      host: gatewayConfig.host,
      port: gatewayConfig.port,
      requestTimeout: gatewayConfig.requestTimeout,
      logger: gatewayLogger,
    },
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
});
