import { consulClient } from '@filegraph/shared/consul';
import { runSubgraph } from '@filegraph/shared/runSubgraph';
import { consulInstances, staticInstances } from './checks/instances.ts';
import { loadHealthConfig } from './config.ts';
import { createHealthService } from './server.ts';

await runSubgraph(
  'health',
  () => loadHealthConfig(),
  (config, logger) => {
    // With Consul, the instances to check are the ones registered there; without, the configured list.
    const instances = config.consulHttpAddr
      ? consulInstances(
          consulClient(config.consulHttpAddr, config.consulHttpToken),
          config.internalTls !== undefined,
        )
      : staticInstances(() => config.subgraphs);
    return createHealthService(config, logger, instances);
  },
);
