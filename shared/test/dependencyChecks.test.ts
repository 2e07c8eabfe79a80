import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serviceApp } from '../src/app.ts';
import { Lifecycle } from '../src/lifecycle.ts';

/**
 * filegraph_dependency_up, which PostgresDown (ops/prometheus/rules) reads:
 * what the readiness checks found, served on /metrics without asking the
 * dependencies again when /ready has just asked them.
 */
describe('dependencies on /metrics', () => {
  let url: string;
  let close: () => void;
  const asked = { database: 0, bucket: 0 };
  let databaseAnswers = true;

  before(async () => {
    const lifecycle = new Lifecycle();
    lifecycle.enter('ready');
    const { app } = serviceApp({
      service: 'files',
      lifecycle,
      checks: [
        {
          name: 'catalogue',
          dependency: 'postgres',
          check: async () => {
            asked.database += 1;
            if (!databaseAnswers) throw new Error('connection refused');
          },
        },
        {
          name: 'storage',
          check: async () => {
            asked.bucket += 1;
          },
        },
      ],
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => close());

  const metrics = async () => (await fetch(`${url}/metrics`)).text();

  it('when nothing has asked yet, then a scrape asks each dependency once, however many scrapes come at once', async () => {
    const texts = await Promise.all([metrics(), metrics(), metrics()]);
    assert.deepEqual(asked, { database: 1, bucket: 1 });
    for (const text of texts) {
      assert.match(text, /^# TYPE filegraph_dependency_up gauge$/m);
      assert.match(text, /^filegraph_dependency_up\{check="catalogue",dependency="postgres"\} 1$/m);
      // Without a `dependency`, the check's name stands for it.
      assert.match(text, /^filegraph_dependency_up\{check="storage",dependency="storage"\} 1$/m);
    }
  });

  it('when the database stops answering, then /ready says 503 and the next scrape says 0 without asking again', async () => {
    databaseAnswers = false;
    assert.equal((await fetch(`${url}/ready`)).status, 503);
    const before = { ...asked };
    const text = await metrics();
    assert.deepEqual(asked, before);
    assert.match(text, /^filegraph_dependency_up\{check="catalogue",dependency="postgres"\} 0$/m);
    assert.match(text, /^filegraph_dependency_up\{check="storage",dependency="storage"\} 1$/m);
  });

  it('when it answers again, then /ready and /metrics say so', async () => {
    databaseAnswers = true;
    assert.equal((await fetch(`${url}/ready`)).status, 200);
    assert.match(
      await metrics(),
      /^filegraph_dependency_up\{check="catalogue",dependency="postgres"\} 1$/m,
    );
  });
});
