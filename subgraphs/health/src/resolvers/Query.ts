import { signedIn } from '@filegraph/shared/identity';
import type { SystemHealth } from '../checks/SystemHealth.ts';
import type { QueryResolvers } from '../generated/resolvers.ts';

export function queryResolvers(system: SystemHealth): QueryResolvers {
  return {
    // Anyone signed in sees statuses; admins see the details too (addresses, errors).
    health: (_, __, { identity }) => system.report(signedIn(identity).role === 'ADMIN'),
  };
}
