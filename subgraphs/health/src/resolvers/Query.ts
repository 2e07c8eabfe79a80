import type { RequestContext } from '@filegraph/shared/apollo';
import { signedIn } from '@filegraph/shared/identity';
import type { SystemHealth } from '../checks/SystemHealth.ts';

export function queryResolvers(system: SystemHealth) {
  return {
    // Anyone signed in sees statuses; admins see the details too (addresses, errors).
    health: (_: unknown, __: unknown, { identity }: RequestContext) =>
      system.report(signedIn(identity).role === 'ADMIN'),
  };
}
