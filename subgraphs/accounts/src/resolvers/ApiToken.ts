import type { TokenRecord } from '../accounts/AccountStore.ts';

export function apiTokenResolvers() {
  return {
    createdAt: (token: TokenRecord) => token.createdAt.toISOString(),
    expiresAt: (token: TokenRecord) => token.expiresAt?.toISOString() ?? null,
    lastUsedAt: (token: TokenRecord) => token.lastUsedAt?.toISOString() ?? null,
  };
}
