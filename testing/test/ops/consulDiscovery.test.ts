import assert from 'node:assert/strict';
import { once } from 'node:events';
import { cp, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadInternalTls } from '@filegraph/shared/tls';
import { freePort } from '@filegraph/processes/ports';
import { startProcess, type ManagedProcess } from '@filegraph/processes/processes';
import { root } from '@filegraph/processes/root';
import { makeCerts } from '@filegraph/processes/tls';
import { requireTool } from '@filegraph/processes/tools';
import { render } from '../../../ops/render.ts';
import {
  readEverything,
  serviceIdentity,
  startConsulDouble,
  type ConsulDouble,
} from '../../src/consul/ConsulDouble.ts';
import { eventually } from '../../src/eventually.ts';
import { tempDir } from '../../src/temp.ts';

/**
 * ops/prometheus/prometheus.yml as it is (filled in for 127.0.0.1) finding
 * instances in Consul (the double, ACLs on, Prometheus holding a read-only
 * token) and scraping them as the stack serves them: the subgraphs over HTTPS
 * to holders of the internal CA's certificates only, checked against their
 * service's name, the gateway over plain HTTP.
 */

const tokens = {
  files: '7e57ac15-0000-4000-8000-000000000005',
  gateway: '7e57ac15-0000-4000-8000-000000000007',
  prometheus: '7e57ac15-0000-4000-8000-00000000000a',
};

const metrics: RequestListener = (req, res) => {
  res.setHeader('Content-Type', 'text/plain; version=0.0.4');
  res.end(req.url === '/metrics' ? 'filegraph_up{service="test"} 1\n' : '');
};

describe('Prometheus finding the instances in Consul', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let consul: ConsulDouble;
  let prometheus: ManagedProcess;
  let prometheusUrl: string;
  const servers: Server[] = [];

  async function listening(server: Server): Promise<number> {
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  }

  async function register(service: keyof typeof tokens, id: string, port: number) {
    const response = await fetch(`http://${consul.httpAddr}/v1/agent/service/register`, {
      method: 'PUT',
      headers: { 'X-Consul-Token': tokens[service] },
      body: JSON.stringify({ ID: id, Name: service, Address: '127.0.0.1', Port: port }),
    });
    assert.equal(response.status, 200, await response.text());
  }

  async function targets(): Promise<Record<string, string>> {
    const query = new URLSearchParams({ query: 'up{job=~"files|gateway"}' });
    const response = await fetch(`${prometheusUrl}/api/v1/query?${query}`);
    const { data } = (await response.json()) as {
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    return Object.fromEntries(
      data.result.map(({ metric, value }) => [`${metric.job} ${metric.instance}`, value[1]]),
    );
  }

  before(async () => {
    folder = await tempDir('prometheus-consul');
    const certs = join(folder.path, 'certs');
    await makeCerts(certs, ['files', 'health', 'prometheus']);
    consul = await startConsulDouble({
      acl: {
        defaultPolicy: 'deny',
        tokens: [
          { secretId: tokens.files, rules: [serviceIdentity('files')] },
          { secretId: tokens.gateway, rules: [serviceIdentity('gateway')] },
          { secretId: tokens.prometheus, rules: [readEverything] },
        ],
      },
    });

    // A files instance as serve() runs one with INTERNAL_TLS_DIR, and one
    // that registers as files but holds another service's certificate.
    const files = loadInternalTls(join(certs, 'files')).server;
    const impostor = loadInternalTls(join(certs, 'health')).server;
    await register('files', 'files-1', await listening(createHttpsServer(files, metrics)));
    await register('files', 'files-2', await listening(createHttpsServer(impostor, metrics)));
    await register('gateway', 'gateway-1', await listening(createHttpServer(metrics)));

    const dir = join(folder.path, 'prometheus');
    await cp(join(certs, 'prometheus'), join(dir, 'tls'), { recursive: true });
    await symlink(join(root, 'ops/prometheus/rules'), join(dir, 'rules'));
    await writeFile(join(dir, 'consul-token'), `${tokens.prometheus}\n`);
    await writeFile(join(dir, 'minio-token'), 'unused\n');
    const unused = `127.0.0.1:${await freePort()}`;
    const template = await readFile(join(root, 'ops/prometheus/prometheus.yml'), 'utf8');
    await writeFile(
      join(dir, 'prometheus.yml'),
      render(template, {
        CONSUL_HTTP_ADDR: consul.httpAddr,
        HAPROXY_STATS_ADDR: unused,
        MINIO_ADDR: unused,
        ALERTMANAGER_ADDR: unused,
      }),
    );
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = await startProcess({
      name: 'prometheus',
      command: requireTool('prometheus'),
      args: [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      ready: (line) => line.includes('Server is ready to receive web requests'),
    });
  });

  after(async () => {
    await prometheus?.stop(5_000);
    for (const server of servers) server.close();
    await consul?.stop();
    await folder?.remove();
  });

  test('when instances register, then each is scraped under its service and Consul id, and one whose certificate names another service is down', async () => {
    // The configuration's own 10 s scrape interval: the first scrape of a new target may take that long.
    const seen = await eventually(
      'files-1, files-2 and gateway-1 scraped',
      async () => {
        const up = await targets();
        return Object.keys(up).length === 3 ? up : undefined;
      },
      60_000,
      1_000,
    );
    assert.deepEqual(seen, {
      'files files-1': '1',
      'files files-2': '0',
      'gateway gateway-1': '1',
    });
  });
});
