import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createLogger } from '@filegraph/shared/logger';
import { FilesClient } from '@filegraph/testing/filesClient';
import { graphql } from '@filegraph/testing/graphql';
import { signedAs, testCallers, testIdentitySecret } from '@filegraph/testing/identity';
import { tempDir } from '@filegraph/testing/temp';
import { loadFilesConfig } from '../src/config.ts';
import { createFilesService } from '../src/server.ts';

describe('share links and time', () => {
  it('when a link outlives expiresInHours, then it opens nothing, though it opened its file until then', async () => {
    const data = await tempDir('share-expiry');
    let now = Date.UTC(2026, 0, 1, 12);
    const service = await createFilesService(
      loadFilesConfig({
        STORAGE: 'disk',
        CATALOGUE: 'sqlite',
        DATA_DIR: data.path,
        IDENTITY_SECRET: testIdentitySecret,
      }),
      createLogger({ level: 'info', format: 'silent' }),
      { now: () => new Date(now) },
    );
    await service.start();
    const server = createServer(service.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const api = new FilesClient(url, { headers: signedAs(testCallers.alice) });
      const file = await api.put('soon-gone.txt', 'for an hour');
      const created = await graphql<{ createShareLink: { url: string; expiresAt: string } }>(
        url,
        'mutation ($id: ID!) { createShareLink(fileId: $id, expiresInHours: 1) { url expiresAt } }',
        { id: file.id },
        { headers: signedAs(testCallers.alice)() },
      );
      const link = created.data?.createShareLink;
      assert.equal(link?.expiresAt, new Date(now + 3_600_000).toISOString());
      const follow = () =>
        fetch(`${url}${link?.url.replace(/^\/s\//, '/share/')}`, { headers: signedAs(null)() });
      now += 3_600_000 - 1_000;
      assert.equal(await (await follow()).text(), 'for an hour');
      now += 2_000;
      assert.equal((await follow()).status, 404);
    } finally {
      server.close();
      await service.stop();
      await data.remove();
    }
  });
});
