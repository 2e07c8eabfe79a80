import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Consul from 'consul';
import { freePort } from '@filegraph/processes/ports';
import { certificates } from '@filegraph/processes/tls';
import { startConsulDouble, type ConsulDouble } from '../../src/consul/ConsulDouble.ts';
import { eventually } from '../../src/eventually.ts';
import { tempDir } from '../../src/temp.ts';

/** A tiny service whose /health answers whatever status the test sets. */
async function startFlippingServer(): Promise<{
  server: Server;
  url: string;
  answer(status: number): void;
}> {
  let status = 200;
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'Content-Type': 'text/plain' });
    response.end(`status ${status}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/health`, answer: (next) => void (status = next) };
}

describe('Consul double health checks', () => {
  let double: ConsulDouble;
  let consul: Consul;

  beforeEach(async () => {
    double = await startConsulDouble({ acl: 'off' });
    consul = new Consul({ host: '127.0.0.1', port: double.httpPort });
  });

  afterEach(async () => {
    consul.destroy();
    await double.stop();
  });

  const statusOf = (checkId: string) =>
    double.checks().find((check) => check.checkId === checkId)?.status;
  const becomes = (checkId: string, status: string) =>
    eventually(`${checkId} is ${status}`, () => (statusOf(checkId) === status ? true : undefined));

  it('when an HTTP check answers 200, 500, 429 and 200 again, then its status goes passing, critical, warning, passing', async () => {
    const target = await startFlippingServer();
    try {
      await consul.agent.service.register({
        name: 'files',
        id: 'files-1',
        port: 1,
        check: { name: 'health', http: target.url, interval: '200ms', timeout: '1s' },
      });

      await becomes('service:files-1', 'passing');
      target.answer(500);
      await becomes('service:files-1', 'critical');
      assert.match(
        double.checks()[0]?.output ?? '',
        /500 Internal Server Error Output: status 500/,
      );
      target.answer(429);
      await becomes('service:files-1', 'warning');
      target.answer(200);
      await becomes('service:files-1', 'passing');

      const [entry] = await consul.health.service({ service: 'files', passing: true });
      assert.equal(entry.Service.ID, 'files-1');
    } finally {
      target.server.close();
    }
  });

  it('when an HTTP check is registered without a Status, then it is critical until its first probe', async () => {
    const target = await startFlippingServer();
    try {
      await consul.agent.service.register({
        name: 'files',
        id: 'files-1',
        port: 1,
        // The first probe comes at a random point within the interval, as in Consul.
        check: { name: 'health', http: target.url, interval: '1h', timeout: '1s' },
      });

      assert.equal(statusOf('service:files-1'), 'critical');
      assert.deepEqual(await consul.health.service({ service: 'files', passing: true }), []);
    } finally {
      target.server.close();
    }
  });

  it('when a check is given a Status, then it starts with that status', async () => {
    const target = await startFlippingServer();
    try {
      await consul.agent.service.register({
        name: 'files',
        id: 'files-1',
        port: 1,
        check: {
          name: 'health',
          http: target.url,
          interval: '1h',
          timeout: '1s',
          status: 'passing',
        },
      });

      assert.equal(statusOf('service:files-1'), 'passing');
    } finally {
      target.server.close();
    }
  });

  it('when an instance stays critical past DeregisterCriticalServiceAfter, then it is deregistered and a healthy one stays', async () => {
    const healthy = await startFlippingServer();
    const deadPort = await freePort();
    try {
      const register = (id: string, url: string) =>
        consul.agent.service.register({
          name: 'files',
          id,
          port: 1,
          check: {
            name: 'health',
            http: url,
            interval: '100ms',
            timeout: '500ms',
            deregistercriticalserviceafter: '600ms',
          },
        });
      await register('files-alive', healthy.url);
      await register('files-dead', `http://127.0.0.1:${deadPort}/health`);
      const ids = () =>
        double
          .services()
          .map((service) => service.id)
          .sort();
      assert.deepEqual(ids(), ['files-alive', 'files-dead']);

      await eventually(
        'files-dead is deregistered',
        () => (ids().length === 1 ? true : undefined),
        5_000,
      );

      assert.deepEqual(ids(), ['files-alive']);
      assert.deepEqual(Object.keys(await consul.agent.checks()), ['service:files-alive']);
    } finally {
      healthy.server.close();
    }
  });

  it('when a TCP check reaches a listening port, then it passes, and when the port closes, it turns critical', async () => {
    const target = await startFlippingServer();
    const port = (target.server.address() as AddressInfo).port;
    await consul.agent.service.register({
      name: 'files',
      id: 'files-1',
      port,
      check: { name: 'tcp', tcp: `127.0.0.1:${port}`, interval: '100ms', timeout: '500ms' },
    });

    await becomes('service:files-1', 'passing');
    target.server.close();
    await becomes('service:files-1', 'critical');
  });

  it('when the double stops, then its checks stop probing', async () => {
    let probes = 0;
    const server = createServer((_request, response) => {
      probes += 1;
      response.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      await consul.agent.service.register({
        name: 'files',
        id: 'files-1',
        port,
        check: {
          name: 'health',
          http: `http://127.0.0.1:${port}/`,
          interval: '50ms',
          timeout: '1s',
        },
      });
      await becomes('service:files-1', 'passing');

      await double.stop();
      const after = probes;
      await new Promise((resolve) => setTimeout(resolve, 300));

      assert.equal(probes, after);
      await double.start();
    } finally {
      server.close();
    }
  });
});

describe('Consul double HTTPS checks with the agent’s certificate (enable_agent_tls_for_checks)', () => {
  it('when a service asks for a client certificate, then the check passes with the agent’s and TLSServerName names the certificate to expect', async () => {
    const folder = await tempDir('double-check-tls');
    const tls = await certificates(folder.path, ['consul', 'files']);
    const service = createHttpsServer(tls.files?.server ?? {}, (_request, response) =>
      response.end('ok'),
    );
    service.on('tlsClientError', () => {});
    service.listen(0, '127.0.0.1');
    await once(service, 'listening');
    const { port } = service.address() as AddressInfo;
    const agent = tls.consul?.server;
    const withTls = await startConsulDouble({
      acl: 'off',
      checkTls: { ca: agent?.ca as Buffer, cert: agent?.cert as Buffer, key: agent?.key as Buffer },
    });
    const without = await startConsulDouble({ acl: 'off' });
    try {
      const register = (double: ConsulDouble, id: string, serverName: string) =>
        new Consul({ host: '127.0.0.1', port: double.httpPort }).agent.service.register({
          name: 'files',
          id,
          port,
          check: {
            name: 'health',
            http: `https://127.0.0.1:${port}/health`,
            interval: '200ms',
            timeout: '1s',
            tlsservername: serverName,
          } as never,
        });
      await register(withTls, 'right-name', 'files');
      await register(withTls, 'wrong-name', 'health');
      await register(without, 'no-certificate', 'files');
      const statusIn = (double: ConsulDouble, id: string) =>
        double.checks().find((check) => check.checkId === `service:${id}`);
      await eventually('every check has run', () =>
        [
          statusIn(withTls, 'right-name'),
          statusIn(withTls, 'wrong-name'),
          statusIn(without, 'no-certificate'),
        ].every((check) => check?.output)
          ? true
          : undefined,
      );
      assert.equal(statusIn(withTls, 'right-name')?.status, 'passing');
      assert.equal(statusIn(withTls, 'wrong-name')?.status, 'critical');
      assert.match(statusIn(withTls, 'wrong-name')?.output ?? '', /health/);
      assert.equal(statusIn(without, 'no-certificate')?.status, 'critical');
    } finally {
      await withTls.stop();
      await without.stop();
      service.close();
      await folder.remove();
    }
  });
});
