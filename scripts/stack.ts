/**
 * `npm run stack`: the distributed topology of compose.yaml, run natively on
 * 127.0.0.1 (see stack/startStack.ts). Ctrl-C stops it all.
 */
import { configOrExit } from '@filegraph/shared/config';
import { runUntilSignalled } from '@filegraph/shared/lifecycle';
import { createLogger } from '@filegraph/shared/logger';
import { loadStackConfig } from './stack/config.ts';
import { startStack } from './stack/startStack.ts';

const config = configOrExit(() => loadStackConfig());
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
  return { stop: () => stack.stop() };
});
