/**
 * `npm run stack`: the distributed topology of compose.yaml, run natively on
 * 127.0.0.1 (see stack/startStack.ts). Ctrl-C stops it all.
 * `npm run stack -- --ops` (or OPS=1) adds the operations stack of ops/:
 * VictoriaLogs, Prometheus, Alertmanager and Mailpit.
 */
import { configOrExit } from '@filegraph/shared/config';
import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { createLogger } from '@filegraph/shared/logger';
import { loadStackConfig } from './stack/config.ts';
import { startStack } from './stack/startStack.ts';

const args = process.argv.slice(2);
if (args.some((arg) => arg !== '--ops')) {
  process.stderr.write(`usage: npm run stack [-- --ops] (not: ${args.join(' ')})\n`);
  process.exit(2);
}
const config = configOrExit(() => loadStackConfig(args.includes('--ops') ? { OPS: '1' } : {}));
const logger = createLogger({
  level: config.logLevel,
  format: config.logFormat,
  fields: { service: 'stack' },
});

await runUntilSignalled(logger, async () => {
  const started = performance.now();
  const stack = await startStack(config, logger);
  logger.info('filegraph stack is ready', {
    url: `${stack.url}/`,
    replicas: stack.files.length,
    ms: Math.round(performance.now() - started),
    ...stack.addresses,
  });
  if (stack.ops)
    logger.info('operations stack is ready', {
      ...stack.ops.urls,
      alertsTo: config.alertEmail,
    });
  return { stop: () => stack.stop() };
});
