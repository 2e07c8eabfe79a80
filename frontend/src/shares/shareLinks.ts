import { batch, createSignal, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import { baseName } from '../files/names.ts';
import {
  CreateShareLinkDocument,
  RevokeShareLinkDocument,
  ShareLinksDocument,
} from '../graphql/generated.ts';
import { createPagedList, wholeList, type PagedList } from '../graphql/pagedList.ts';
import { request } from '../graphql/request.ts';
import type { FileNode, ShareLink } from '../graphql/types.ts';
import type { Notify } from '../ui/notices.ts';
import { createSubmission } from '../ui/submission.ts';

export interface NewShareLink {
  readonly link: ShareLink;
  /** The whole address to hand out (this origin + the link's path). */
  readonly address: string;
}

/**
 * One file's share links (all in one page): those that exist (their
 * addresses are not shown again), a new one with an optional expiry and password, whose address is
 * kept until dismissed, and revoking.
 */
export interface ShareLinks extends PagedList<ShareLink> {
  readonly file: FileNode;
  readonly busy: Accessor<boolean>;
  readonly refusal: Accessor<string | undefined>;
  readonly created: Accessor<NewShareLink | undefined>;
  /** `expiresInHours` undefined: it never expires; `password` empty: none. */
  create(expiresInHours: number | undefined, password: string): Promise<boolean>;
  dismissCreated(): void;
  revoke(link: ShareLink): Promise<void>;
}

export function shareInputProblem(expiresInHours: number | undefined): string | undefined {
  if (expiresInHours !== undefined && (!Number.isInteger(expiresInHours) || expiresInHours < 1))
    return 'Hours until it expires: a whole number of 1 or more, or empty for never.';
  return undefined;
}

export function createShareLinks(
  client: Client,
  file: FileNode,
  deps: { notify: Notify; origin?: string },
): ShareLinks {
  const { notify } = deps;
  const origin = deps.origin ?? location.origin;
  const list = createPagedList<ShareLink>({
    fetchPage: async () =>
      wholeList(
        await request(client, 'query', ShareLinksDocument, { fileId: file.id }, 'shareLinks'),
      ),
    key: (link) => link.id,
  });
  const form = createSubmission();
  const [created, setCreated] = createSignal<NewShareLink>();
  const name = baseName(file.name);

  return {
    ...list,
    file,
    busy: form.busy,
    refusal: form.refusal,
    created,
    async create(expiresInHours, password) {
      setCreated(undefined);
      const outcome = await form.send(
        () =>
          request(
            client,
            'mutation',
            CreateShareLinkDocument,
            { fileId: file.id, expiresInHours: expiresInHours ?? null, password: password || null },
            'createShareLink',
          ),
        shareInputProblem(expiresInHours),
      );
      if (!outcome?.ok) return false;
      const link = outcome.value;
      if (!link.url) {
        form.refuse(
          'The server made the link but sent no address for it; revoke it and try again.',
        );
        return false;
      }
      const address = origin + link.url;
      batch(() => {
        setCreated({ link, address });
        list.add(link);
      });
      return true;
    },
    dismissCreated: () => setCreated(undefined),
    async revoke(link) {
      const outcome = await form.run(() =>
        request(client, 'mutation', RevokeShareLinkDocument, { id: link.id }, 'revokeShareLink'),
      );
      if (outcome.ok || outcome.problem.code === 'NOT_FOUND') {
        batch(() => {
          list.remove([link.id]);
          if (created()?.link.id === link.id) setCreated(undefined);
        });
        notify('success', `Revoked a link to ${name}: it no longer opens.`);
        return;
      }
      notify('error', `Could not revoke the link to ${name}: ${outcome.problem.message}`);
    },
  };
}
