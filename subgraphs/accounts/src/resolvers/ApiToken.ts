import type { ApiTokenResolvers } from '../generated/resolvers.ts';

export function apiTokenResolvers(): ApiTokenResolvers {
  return {
    createdAt: (token) => token.createdAt.toISOString(),
    expiresAt: (token) => token.expiresAt?.toISOString() ?? null,
    lastUsedAt: (token) => token.lastUsedAt?.toISOString() ?? null,
  };
}
