import type { ShareRecord } from '../catalogue/Catalogue.ts';
import type { NewShareLink } from '../shares/ShareService.ts';

export function shareLinkResolvers() {
  return {
    // The token is known only when the link is made: later, there is no url to show.
    url: (share: ShareRecord | NewShareLink) => ('url' in share ? share.url : null),
    expiresAt: (share: ShareRecord) => share.expiresAt.toISOString(),
    createdAt: (share: ShareRecord) => share.createdAt.toISOString(),
    hasPassword: (share: ShareRecord) => share.passwordHash !== undefined,
  };
}
