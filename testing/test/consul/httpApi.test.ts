import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import Consul from 'consul';
import { startConsulDouble, type ConsulDouble } from '../../src/consul/ConsulDouble.ts';

describe('Consul double HTTP API', () => {
  let double: ConsulDouble;
  let consul: Consul;
  let base: string;

  before(async () => {
    double = await startConsulDouble({ acl: 'off' });
    consul = new Consul({ host: '127.0.0.1', port: double.httpPort });
    base = `http://${double.httpAddr}/v1`;
  });

  after(async () => {
    consul.destroy();
    await double.stop();
  });

  beforeEach(async () => {
    double.setFault('none');
    await double.restart();
  });

  const passingTtl = { name: 'ttl', ttl: '1m', status: 'passing', timeout: '1s' };

  it('when a service is registered with the consul client, then the agent, catalog and health endpoints list it', async () => {
    await consul.agent.service.register({
      name: 'files',
      id: 'files-1',
      tags: ['subgraph'],
      address: '127.0.0.1',
      port: 4001,
      meta: { version: '1' },
      check: passingTtl,
    });

    const services = await consul.agent.service.list();
    assert.deepEqual(Object.keys(services), ['files-1']);
    assert.equal(services['files-1'].Service, 'files');
    assert.deepEqual(services['files-1'].Meta, { version: '1' });

    assert.deepEqual(await consul.catalog.service.list(), { consul: [], files: ['subgraph'] });
    const [node] = await consul.catalog.service.nodes('files');
    assert.equal(node.ServiceID, 'files-1');
    assert.equal(node.ServiceAddress, '127.0.0.1');
    assert.equal(node.ServicePort, 4001);

    const [entry] = await consul.health.service({ service: 'files', passing: true });
    assert.equal(entry.Service.ID, 'files-1');
    assert.deepEqual(
      entry.Checks.map((check: { CheckID: string; Status: string }) => [
        check.CheckID,
        check.Status,
      ]),
      [
        ['serfHealth', 'passing'],
        ['service:files-1', 'passing'],
      ],
    );
    assert.deepEqual(
      (await consul.health.checks('files')).map((check) => check.CheckID),
      ['service:files-1'],
    );
    assert.equal(await consul.status.leader(), '127.0.0.1:8300');
  });

  it('when instances differ in health and tags, then ?passing and ?tag filter the health endpoint', async () => {
    await consul.agent.service.register({
      name: 'web',
      id: 'web-1',
      port: 1,
      tags: ['blue'],
      check: passingTtl,
    });
    await consul.agent.service.register({
      name: 'web',
      id: 'web-2',
      port: 2,
      tags: ['green'],
      check: passingTtl,
    });
    await consul.agent.service.register({
      name: 'web',
      id: 'web-3',
      port: 3,
      tags: ['blue'],
      check: { ...passingTtl, status: 'critical' },
    });
    const ids = (entries: { Service: { ID: string } }[]) =>
      entries.map((entry) => entry.Service.ID).sort();

    assert.deepEqual(ids(await consul.health.service('web')), ['web-1', 'web-2', 'web-3']);
    assert.deepEqual(ids(await consul.health.service({ service: 'web', passing: true })), [
      'web-1',
      'web-2',
    ]);
    assert.deepEqual(ids(await consul.health.service({ service: 'web', tag: 'blue' })), [
      'web-1',
      'web-3',
    ]);
    assert.deepEqual(
      ids(await consul.health.service({ service: 'web', tag: 'blue', passing: true })),
      ['web-1'],
    );
  });

  it('when a service is registered again under its ID, then it is replaced and its checks keep their status', async () => {
    await consul.agent.service.register({ name: 'web', id: 'web-1', port: 1, check: passingTtl });
    await consul.agent.service.register({
      name: 'web',
      id: 'web-1',
      port: 2,
      tags: ['new'],
      check: { ...passingTtl, status: undefined },
    });

    const [entry] = await consul.health.service('web');
    assert.equal(entry.Service.Port, 2);
    assert.deepEqual(entry.Service.Tags, ['new']);
    assert.equal(entry.Checks[1].Status, 'passing');
    assert.equal(double.services().length, 1);
  });

  it('when a service is deregistered, then it and its checks are gone, and deregistering it again answers 404', async () => {
    await consul.agent.service.register({ name: 'web', id: 'web-1', port: 1, check: passingTtl });
    await consul.agent.service.deregister('web-1');

    assert.deepEqual(await consul.agent.service.list(), {});
    assert.deepEqual(await consul.agent.check.list(), {});
    assert.deepEqual(await consul.health.service('web'), []);
    const again = await fetch(`${base}/agent/service/deregister/web-1`, { method: 'PUT' });
    assert.equal(again.status, 404);
    assert.match(await again.text(), /Unknown service ID "web-1"/);
  });

  it('when a registration has no name or an invalid check, then it answers 400 naming the problem', async () => {
    const put = (body: unknown) =>
      fetch(`${base}/agent/service/register`, { method: 'PUT', body: JSON.stringify(body) });

    const noName = await put({ ID: 'x', Port: 1 });
    assert.equal(noName.status, 400);
    assert.equal(await noName.text(), 'Missing service name');

    const noInterval = await put({ Name: 'web', Check: { HTTP: 'http://127.0.0.1:1/health' } });
    assert.equal(noInterval.status, 400);
    assert.match(await noInterval.text(), /^Invalid check: Interval must be > 0/);

    const badStatus = await put({ Name: 'web', Check: { TTL: '10s', Status: 'up' } });
    assert.equal(badStatus.status, 400);

    const notJson = await fetch(`${base}/agent/service/register`, { method: 'PUT', body: '{' });
    assert.equal(notJson.status, 400);
    assert.match(await notJson.text(), /^Request decode failed/);

    const wrongMethod = await fetch(`${base}/agent/service/register`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(double.services().length, 0);
  });

  it('when a registration uses snake_case keys and a Checks list, then it reads them as Consul does', async () => {
    const response = await fetch(`${base}/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({
        name: 'web',
        id: 'web-1',
        port: 80,
        checks: [
          { ttl: '1m', status: 'passing' },
          { check_id: 'custom', ttl: '1m', deregister_critical_service_after: '1h' },
        ],
      }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(
      double.checks().map((check) => [check.checkId, check.status]),
      [
        ['service:web-1:1', 'passing'],
        ['custom', 'critical'],
      ],
    );
  });

  it('when catalog and health endpoints answer, then every answer carries X-Consul-Index, which every change moves', async () => {
    const index = async (path: string) => {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 200);
      return Number(response.headers.get('x-consul-index'));
    };
    const paths = [
      '/catalog/services',
      '/catalog/service/web',
      '/health/service/web',
      '/health/checks/web',
    ];
    const before = await Promise.all(paths.map(index));
    for (const value of before) assert.ok(value > 0);

    await consul.agent.service.register({ name: 'web', id: 'web-1', port: 1, check: passingTtl });
    const registered = await index('/health/service/web');
    assert.ok(registered > Math.max(...before));

    await consul.agent.check.fail('service:web-1');
    const failed = await index('/health/service/web');
    assert.ok(failed > registered);

    await consul.agent.service.deregister('web-1');
    assert.ok((await index('/catalog/services')) > failed);
  });

  it('when a blocking query waits on the current index, then it returns as soon as a service registers', async () => {
    const first = await fetch(`${base}/health/service/web`);
    const index = first.headers.get('x-consul-index');
    await first.arrayBuffer();

    const started = Date.now();
    const blocked = fetch(`${base}/health/service/web?index=${index}&wait=10s`);
    setTimeout(() => {
      void consul.agent.service.register({ name: 'web', id: 'web-1', port: 1, check: passingTtl });
    }, 200);
    const answer = await blocked;

    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 150 && elapsed < 5_000, `answered after ${elapsed} ms`);
    assert.ok(Number(answer.headers.get('x-consul-index')) > Number(index));
    assert.equal(((await answer.json()) as unknown[]).length, 1);
  });

  it('when a blocking query sees no change, then it answers with the same index once its wait passes', async () => {
    const first = await fetch(`${base}/catalog/services`);
    const index = first.headers.get('x-consul-index');
    await first.arrayBuffer();

    const started = Date.now();
    const answer = await fetch(`${base}/catalog/services?index=${index}&wait=300ms`);
    const elapsed = Date.now() - started;

    assert.ok(elapsed >= 290 && elapsed < 2_000, `answered after ${elapsed} ms`);
    assert.equal(answer.headers.get('x-consul-index'), index);
    assert.deepEqual(await answer.json(), { consul: [] });
  });

  it('when a consul client watch follows a service, then it wakes with the new instance on a change', async () => {
    const watch = consul.watch({
      method: consul.health.service,
      options: { service: 'web', passing: 'true', wait: '10s' },
    });
    try {
      const changes: unknown[][] = [];
      const next = (count: number) =>
        new Promise<unknown[]>((resolve, reject) => {
          const onChange = (data: unknown[]) => {
            changes.push(data);
            if (changes.length >= count) {
              watch.off('change', onChange);
              resolve(data);
            }
          };
          watch.on('change', onChange);
          watch.once('error', reject);
        });

      assert.deepEqual(await next(1), []);
      const started = Date.now();
      await consul.agent.service.register({ name: 'web', id: 'web-1', port: 1, check: passingTtl });
      const woken = (await next(2)) as { Service: { ID: string } }[];

      assert.deepEqual(
        woken.map((entry) => entry.Service.ID),
        ['web-1'],
      );
      assert.ok(Date.now() - started < 5_000);
    } finally {
      watch.end();
    }
  });

  it('when the fault is garbage, then every answer is 200 with a body that is not JSON', async () => {
    double.setFault('garbage');

    for (const path of ['/health/service/web', '/agent/services', '/status/leader']) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 200);
      const body = await response.text();
      assert.throws(() => JSON.parse(body) as unknown);
    }
    await assert.rejects(consul.health.service('web'));

    double.setFault('none');
    assert.deepEqual(await consul.health.service('web'), []);
  });

  it('when the fault is hang, then requests are accepted and never answered, until the fault clears', async () => {
    double.setFault('hang');

    await assert.rejects(
      fetch(`${base}/health/service/web`, { signal: AbortSignal.timeout(300) }),
      { name: 'TimeoutError' },
    );
    const pending = fetch(`${base}/agent/services`).then(
      () => 'answered',
      () => 'failed',
    );
    assert.equal(await Promise.race([pending, sleep(200).then(() => 'waiting')]), 'waiting');

    await double.stop();
    assert.equal(await pending, 'failed');
    await double.start();
    double.setFault('none');
    assert.equal((await fetch(`${base}/agent/services`)).status, 200);
  });

  it('when the double restarts, then it forgets every registration and listens on the same ports', async () => {
    await consul.agent.service.register({ name: 'web', id: 'web-1', port: 1, check: passingTtl });
    const { httpAddr, dnsAddr } = double;

    await double.restart();

    assert.equal(double.httpAddr, httpAddr);
    assert.equal(double.dnsAddr, dnsAddr);
    assert.deepEqual(await consul.agent.service.list(), {});
    assert.deepEqual(double.services(), []);
  });

  it('when a TTL check is passed, warned and failed, then its status follows and it turns critical once the TTL passes', async () => {
    await consul.agent.service.register({
      name: 'web',
      id: 'web-1',
      port: 1,
      check: { name: 'ttl', ttl: '300ms', timeout: '1s' },
    });
    const status = () => double.checks()[0]?.status;
    assert.equal(status(), 'critical');

    await consul.agent.check.pass({ id: 'service:web-1', note: 'fine' });
    assert.equal(status(), 'passing');
    assert.equal(double.checks()[0]?.output, 'fine');
    await consul.agent.check.warn('service:web-1');
    assert.equal(status(), 'warning');
    await consul.agent.check.pass('service:web-1');

    await sleep(500);
    assert.equal(status(), 'critical');
    assert.equal(double.checks()[0]?.output, 'TTL expired');
    const unknown = await fetch(`${base}/agent/check/pass/nope`, { method: 'PUT' });
    assert.equal(unknown.status, 404);
  });
});
