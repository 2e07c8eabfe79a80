import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@filegraph/shared/logger';
import type { Service } from '@filegraph/shared/service';
import { startPostgres, type PostgresServer } from '@filegraph/processes/postgres';
import { FilesClient } from '@filegraph/testing/filesClient';
import { graphql } from '@filegraph/testing/graphql';
import { signedAs, testCallers, testIdentitySecret } from '@filegraph/testing/identity';
import { tempDir } from '@filegraph/testing/temp';
import { loadFilesConfig } from '../src/config.ts';
import { createFilesService } from '../src/server.ts';

const password = 'open sesame please';
const wrong = 'open sesame, please';

interface Link {
  id: string;
  url: string;
}

/**
 * A share link's wrong passwords make it wait as sign-in does (first 5
 * free, then 1 s doubling), counted in the catalogue: each driver with a
 * real database, the service on an injected clock.
 */
function throttleSuite(driver: 'sqlite' | 'postgres'): void {
  describe(`share link passwords on ${driver}`, () => {
    let data: Awaited<ReturnType<typeof tempDir>>;
    let postgres: PostgresServer | undefined;
    let service: Service;
    let server: Server;
    let url: string;
    let now = Date.now();
    /** The link's counter as the catalogue holds it. */
    let failures: (id: string) => Promise<number>;

    before(async () => {
      data = await tempDir(`share-throttle-${driver}`);
      if (driver === 'postgres') {
        const pg = await startPostgres(join(data.path, 'postgres'));
        postgres = pg;
        failures = async (id) =>
          Number(
            (await pg.query('SELECT failures FROM share_links WHERE id = $1', [id]))[0]?.failures,
          );
      } else {
        failures = async (id) => {
          const db = new DatabaseSync(join(data.path, 'catalogue.sqlite'), { readOnly: true });
          try {
            const row = db.prepare('SELECT failures FROM share_links WHERE id = ?').get(id);
            return Number(row?.failures);
          } finally {
            db.close();
          }
        };
      }
      service = await createFilesService(
        loadFilesConfig({
          STORAGE: 'disk',
          CATALOGUE: 'sqlite',
          DATA_DIR: data.path,
          IDENTITY_SECRET: testIdentitySecret,
          ...postgres?.filesEnv(),
        }),
        createLogger({ level: 'info', format: 'silent' }),
        { now: () => new Date(now) },
      );
      await service.start();
      server = createServer(service.app).listen(0, '127.0.0.1');
      await once(server, 'listening');
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
      server?.close();
      await service?.stop();
      await postgres?.stop();
      await data?.remove();
    });

    const put = async (name: string) =>
      (
        await new FilesClient(url, { headers: signedAs(testCallers.alice) }).put(
          name,
          `the bytes of ${name}`,
          { prefix: 'throttle' },
        )
      ).id;
    const share = async (fileId: string, withPassword = true): Promise<Link> => {
      const created = await graphql<{ createShareLink: Link }>(
        url,
        'mutation ($id: ID!, $password: String) { createShareLink(fileId: $id, password: $password) { id url } }',
        { id: fileId, password: withPassword ? password : null },
        { headers: signedAs(testCallers.alice)() },
      );
      const link = created.data?.createShareLink;
      if (!link) throw new Error(`createShareLink refused: ${JSON.stringify(created.errors)}`);
      return link;
    };
    /** Follows a link as the gateway does: as nobody, the password in a header. */
    const follow = (link: Link, given?: string) =>
      fetch(`${url}${link.url.replace(/^\/s\//, '/share/')}`, {
        headers: {
          ...signedAs(null)(),
          ...(given === undefined ? {} : { 'x-share-password': given }),
        },
      });
    const status = async (link: Link, given?: string) => {
      const response = await follow(link, given);
      await response.arrayBuffer();
      return response.status;
    };

    it('when a link has had 5 wrong passwords in a row, then the 6th attempt, even the right one, is 429 with Retry-After, and after the wait the right one opens it', async () => {
      const link = await share(await put('waits.txt'));
      for (let i = 0; i < 5; i += 1)
        assert.equal(await status(link, wrong), 401, `wrong #${i + 1}`);
      const waiting = await follow(link, password);
      assert.equal(waiting.status, 429);
      assert.equal(waiting.headers.get('retry-after'), '1');
      const { errors } = (await waiting.json()) as {
        errors: Array<{ message: string; extensions: { code: string } }>;
      };
      assert.equal(errors[0]?.extensions.code, 'TOO_MANY_REQUESTS');
      assert.match(errors[0]?.message ?? '', /try again in 1 s/);
      assert.equal(await status(link), 429, 'no password while waiting is 429 too');
      assert.equal(await failures(link.id), 5, 'refused attempts are not counted');

      now += 1_000;
      assert.equal(await status(link, wrong), 401, 'the wait passed: one more guess');
      const longer = await follow(link, password);
      assert.equal(longer.status, 429);
      assert.equal(longer.headers.get('retry-after'), '2', 'each further failure doubles the wait');
      await longer.arrayBuffer();

      now += 2_000;
      const opened = await follow(link, password);
      assert.equal(opened.status, 200);
      assert.equal(await opened.text(), 'the bytes of waits.txt');
      assert.equal(await failures(link.id), 0, 'the right password resets the count');
      for (let i = 0; i < 5; i += 1) assert.equal(await status(link, wrong), 401);
      assert.equal(await status(link, password), 429);
    });

    it('when 20 wrong guesses arrive at once, then at most 6 passwords are checked, the rest refused with 429, and the counter holds exactly the 401s', async () => {
      const link = await share(await put('at-once.txt'));
      const statuses = await Promise.all(Array.from({ length: 20 }, () => status(link, wrong)));
      const checked = statuses.filter((s) => s === 401).length;
      assert.equal(statuses.filter((s) => s === 429).length, 20 - checked, String(statuses));
      assert.ok(checked >= 1 && checked <= 6, `${checked} passwords checked`);
      assert.equal(await failures(link.id), checked);
    });

    it('when one link waits, then another link to the same file and a link without a password open as before', async () => {
      const file = await put('one-of-two.txt');
      const link = await share(file);
      const sibling = await share(file);
      const open = await share(await put('open.txt'), false);
      for (let i = 0; i < 6; i += 1) await status(link, wrong);
      assert.equal(await status(link, password), 429);
      assert.equal(await status(sibling, password), 200);
      assert.equal(await failures(sibling.id), 0);
      assert.equal(await status(open), 200);
      assert.equal(await status(open, wrong), 200, 'a link without a password ignores one');
    });
  });
}

throttleSuite('sqlite');
throttleSuite('postgres');
