import type { KeyObject } from 'node:crypto';
import { setting, Unfit, type Kind } from '../config.ts';
import { identityKey } from './identity.ts';

/** At least 32 bytes of secret, as text (`openssl rand -base64 32`). */
function secretKind(): Kind<KeyObject> {
  return {
    expected: 'a secret of at least 32 characters, e.g. from `openssl rand -base64 32`',
    parse: (raw) => {
      if (raw.length < 32) throw new Unfit('it must be at least 32 characters long');
      return identityKey(raw);
    },
  };
}

/** What the gateway signs callers' identities with and every subgraph checks them with. */
export const identitySettings = {
  identitySecret: setting(
    'IDENTITY_SECRET',
    'Shared by the gateway and every subgraph: the gateway signs who is calling with it, subgraphs refuse requests not signed with it. npm start and npm run stack make one per run; set your own in compose and Kubernetes',
    secretKind(),
    undefined,
    { secret: true },
  ),
};
