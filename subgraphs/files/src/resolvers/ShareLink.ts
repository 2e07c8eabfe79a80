import type { ShareLinkResolvers } from '../generated/resolvers.ts';

export function shareLinkResolvers(): ShareLinkResolvers {
  return {
    // The token is known only when the link is made: later, there is no url to show.
    url: (share) => ('url' in share ? share.url : null),
    expiresAt: (share) => share.expiresAt.toISOString(),
    createdAt: (share) => share.createdAt.toISOString(),
    hasPassword: (share) => share.passwordHash !== undefined,
  };
}
