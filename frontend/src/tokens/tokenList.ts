import { batch, createSignal, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import { CreateTokenDocument, RevokeTokenDocument, TokensDocument } from '../graphql/generated.ts';
import { createPagedList, wholeList, type PagedList } from '../graphql/pagedList.ts';
import { request } from '../graphql/request.ts';
import type { ApiToken, NewApiToken } from '../graphql/types.ts';
import type { Notify } from '../ui/notices.ts';
import { createSubmission } from '../ui/submission.ts';

/** What the API allows for `expiresInDays` (subgraphs/accounts/src/schema.graphql). */
export const tokenDays = { min: 1, max: 3650 } as const;

/**
 * Your API tokens (oldest first, all in one page, never their secrets),
 * making new ones and revoking them. A new token's secret is kept only until it is dismissed or
 * another is made: the API never shows it again, and neither does the UI.
 */
export interface TokenList extends PagedList<ApiToken> {
  /** A create or revoke is on its way. */
  readonly busy: Accessor<boolean>;
  /** Why the last create was refused (the form shows it). */
  readonly refusal: Accessor<string | undefined>;
  /** The token just made, with its secret. */
  readonly created: Accessor<NewApiToken | undefined>;
  /** `expiresInDays` undefined: it never expires. */
  create(name: string, expiresInDays: number | undefined): Promise<boolean>;
  dismissCreated(): void;
  readonly pendingRevoke: Accessor<ApiToken | undefined>;
  askRevoke(token: ApiToken): void;
  cancelRevoke(): void;
  confirmRevoke(): Promise<void>;
}

/** Why a token's name or days are not allowed, before asking the server. */
export function tokenInputProblem(
  name: string,
  expiresInDays: number | undefined,
): string | undefined {
  if (name.trim() === '') return 'Give the token a name, e.g. where it is used.';
  if (
    expiresInDays !== undefined &&
    (!Number.isInteger(expiresInDays) ||
      expiresInDays < tokenDays.min ||
      expiresInDays > tokenDays.max)
  )
    return `Days until it expires: a whole number from ${tokenDays.min} to ${tokenDays.max}, or empty for never.`;
  return undefined;
}

export function createTokenList(client: Client, deps: { notify: Notify }): TokenList {
  const { notify } = deps;
  const list = createPagedList<ApiToken>({
    fetchPage: async () => wholeList(await request(client, 'query', TokensDocument, {}, 'tokens')),
    key: (token) => token.id,
  });
  const form = createSubmission();
  const [created, setCreated] = createSignal<NewApiToken>();
  const [pendingRevoke, setPendingRevoke] = createSignal<ApiToken>();

  async function create(name: string, expiresInDays: number | undefined): Promise<boolean> {
    setCreated(undefined);
    const outcome = await form.send(
      () =>
        request(
          client,
          'mutation',
          CreateTokenDocument,
          { name: name.trim(), expiresInDays: expiresInDays ?? null },
          'createToken',
        ),
      tokenInputProblem(name, expiresInDays),
    );
    if (!outcome?.ok) return false;
    batch(() => {
      setCreated(outcome.value);
      list.add(outcome.value.info);
    });
    return true;
  }

  async function revoke(token: ApiToken): Promise<void> {
    const outcome = await form.run(() =>
      request(client, 'mutation', RevokeTokenDocument, { id: token.id }, 'revokeToken'),
    );
    // NOT_FOUND: it was revoked already (another tab); either way it is gone.
    if (outcome.ok || outcome.problem.code === 'NOT_FOUND') {
      batch(() => {
        list.remove([token.id]);
        if (created()?.info.id === token.id) setCreated(undefined);
      });
      notify('success', `Revoked the token ${token.name}: scripts using it are refused from now.`);
      return;
    }
    notify('error', `Could not revoke ${token.name}: ${outcome.problem.message}`);
  }

  return {
    ...list,
    busy: form.busy,
    refusal: form.refusal,
    created,
    create,
    dismissCreated: () => setCreated(undefined),
    pendingRevoke,
    askRevoke: (token) => setPendingRevoke(token),
    cancelRevoke: () => setPendingRevoke(undefined),
    async confirmRevoke() {
      const token = pendingRevoke();
      setPendingRevoke(undefined);
      if (token) await revoke(token);
    },
  };
}
