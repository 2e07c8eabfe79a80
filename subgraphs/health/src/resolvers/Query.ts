import type { SystemHealth } from '../checks/SystemHealth.ts';

export function queryResolvers(system: SystemHealth) {
  return {
    health: () => system.report(),
  };
}
