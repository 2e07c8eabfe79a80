import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoot } from 'solid-js';
import { createGraphQLClient } from '../../src/graphql/client.ts';
import type { ShareLink } from '../../src/graphql/types.ts';
import { createShareLinks } from '../../src/shares/shareLinks.ts';
import { createNotices } from '../../src/ui/notices.ts';
import { fakeFetch, fileNode, until } from './fakeApi.ts';

/** The share links part of the files API: a link's url only in the answer that made it. */
function fakeShares(start: ShareLink[] = []) {
  const links = [...start];
  const api = fakeFetch((request) => {
    const variables = request.variables as {
      fileId?: string;
      expiresInHours?: number | null;
      password?: string | null;
      id?: string;
    };
    switch (request.operationName) {
      case 'ShareLinks':
        return { data: { shareLinks: links.filter((link) => link.fileId === variables.fileId) } };
      case 'CreateShareLink': {
        const link: ShareLink = {
          id: `s${links.length + 1}`,
          url: null,
          fileId: variables.fileId ?? '',
          createdAt: '2025-01-02T00:00:00.000Z',
          expiresAt: variables.expiresInHours ? '2025-01-03T00:00:00.000Z' : null,
          hasPassword: Boolean(variables.password),
        };
        links.push(link);
        return { data: { createShareLink: { ...link, url: `/s/token-${link.id}` } } };
      }
      case 'RevokeShareLink': {
        const index = links.findIndex((link) => link.id === variables.id);
        links.splice(index, 1);
        return { data: { revokeShareLink: index >= 0 } };
      }
      default:
        return { errors: [{ message: `not faked: ${request.operationName}` }] };
    }
  });
  return { ...api, links };
}

const file = fileNode('docs/report.pdf');

function sharesOver(api: { fetch: typeof fetch }) {
  return createRoot((dispose) => {
    const notices = createNotices();
    const shares = createShareLinks(createGraphQLClient({ fetch: api.fetch }), file, {
      notify: notices.notify,
      origin: 'https://files.example.org',
    });
    return { shares, notices, dispose };
  });
}

describe('share links', () => {
  it('when a link is created, then its whole address shows once, and the file’s list has it without the address', async () => {
    const api = fakeShares();
    const { shares, dispose } = sharesOver(api);
    await until(() => shares.state() === 'empty');
    assert.deepEqual(api.seen[0]?.variables, { fileId: file.id });
    assert.equal(await shares.create(24, 'hunter22'), true);
    assert.deepEqual(api.seen.at(-1)?.variables, {
      fileId: file.id,
      expiresInHours: 24,
      password: 'hunter22',
    });
    assert.equal(shares.created()?.address, 'https://files.example.org/s/token-s1');
    assert.equal(shares.items().length, 1);
    assert.equal(shares.items()[0]?.hasPassword, true);
    shares.dismissCreated();
    shares.reload();
    await until(() => shares.state() === 'ready');
    assert.equal(shares.created(), undefined);
    assert.equal(shares.items()[0]?.url, null, 'listed links carry no address');
    dispose();
  });

  it('when no expiry or password is given, then none is sent', async () => {
    const api = fakeShares();
    const { shares, dispose } = sharesOver(api);
    await until(() => shares.state() !== 'loading');
    await shares.create(undefined, '');
    assert.deepEqual(api.seen.at(-1)?.variables, {
      fileId: file.id,
      expiresInHours: null,
      password: null,
    });
    assert.equal(shares.items()[0]?.expiresAt, null);
    dispose();
  });

  it('when the hours are not a whole number of 1 or more, then nothing is sent and the form says why', async () => {
    const api = fakeShares();
    const { shares, dispose } = sharesOver(api);
    await until(() => shares.state() !== 'loading');
    assert.equal(await shares.create(0, ''), false);
    assert.match(shares.refusal() ?? '', /whole number/);
    assert.equal(api.seen.length, 1);
    dispose();
  });

  it('when a link is revoked, then it leaves the list and a notice says it no longer opens', async () => {
    const api = fakeShares();
    const { shares, notices, dispose } = sharesOver(api);
    await until(() => shares.state() !== 'loading');
    await shares.create(undefined, '');
    await shares.revoke(shares.items()[0] as ShareLink);
    assert.equal(shares.items().length, 0);
    assert.equal(shares.created(), undefined, 'the address of a revoked link is not shown');
    assert.match(notices.list().at(-1)?.message ?? '', /report\.pdf: it no longer opens/);
    dispose();
  });
});
