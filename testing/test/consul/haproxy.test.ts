import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Consul from 'consul';
import { freePort } from '@filegraph/processes/ports';
import { startProcess, type ManagedProcess } from '@filegraph/processes/processes';
import { requireTool } from '@filegraph/processes/tools';
import { startConsulDouble, type ConsulDouble } from '../../src/consul/ConsulDouble.ts';
import { tempDir } from '../../src/temp.ts';
import { eventually } from '../../src/eventually.ts';

interface Instance {
  readonly server: Server;
  readonly port: number;
  /** What its /health answers from now on. */
  healthy(ok: boolean): void;
}

/** A tiny service instance that answers every request with its name. */
async function startInstance(name: string): Promise<Instance> {
  let healthy = true;
  const server = createServer((request, response) => {
    const status = request.url === '/health' && !healthy ? 500 : 200;
    response.writeHead(status, { 'Content-Type': 'text/plain' });
    response.end(name);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    healthy: (ok) => void (healthy = ok),
  };
}

/**
 * Backend servers from Consul DNS the way the distributed deployment does it:
 * SRV over `_web._tcp.service.consul` with EDNS0 so every instance fits, and
 * resolution timers short enough for a test.
 */
function haproxyConfig(options: { dnsAddr: string; port: number; socket: string }): string {
  return `global
  stats socket ${options.socket} mode 600 level admin

defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s

resolvers consul
  nameserver double ${options.dnsAddr}
  accepted_payload_size 8192
  resolve_retries 3
  timeout resolve 100ms
  timeout retry 100ms
  hold valid 100ms
  hold obsolete 0s

frontend web
  bind 127.0.0.1:${options.port}
  default_backend web

backend web
  balance roundrobin
  server-template web 4 _web._tcp.service.consul resolvers consul init-addr none resolve-prefer ipv4
`;
}

/** HAProxy's view of its backend servers, for failure messages. */
async function serversState(socketPath: string): Promise<string> {
  const socket = connect(socketPath);
  socket.end('show servers state web\n');
  let text = '';
  for await (const chunk of socket) text += String(chunk);
  return text;
}

describe('HAProxy over the Consul double DNS', () => {
  let double: ConsulDouble;
  let consul: Consul;
  let haproxy: ManagedProcess;
  let folder: { path: string; remove(): Promise<void> };
  let frontend: string;
  let socketPath: string;
  const instances: Instance[] = [];

  before(async () => {
    double = await startConsulDouble({ acl: 'off' });
    consul = new Consul({ host: '127.0.0.1', port: double.httpPort });
    instances.push(await startInstance('one'), await startInstance('two'));
    folder = await tempDir('haproxy');
    const port = await freePort();
    frontend = `http://127.0.0.1:${port}/`;
    socketPath = join(folder.path, 'haproxy.sock');
    const config = join(folder.path, 'haproxy.cfg');
    await writeFile(config, haproxyConfig({ dnsAddr: double.dnsAddr, port, socket: socketPath }));
    haproxy = await startProcess({
      name: 'haproxy',
      command: requireTool('haproxy'),
      args: ['-db', '-V', '-f', config],
      ready: (line) => line.includes('polling mechanism'),
      timeoutMs: 10_000,
    });
  });

  after(async () => {
    await haproxy?.stop(5_000);
    consul?.destroy();
    await double?.stop();
    for (const { server } of instances) server.close();
    await folder?.remove();
  });

  /** Which instances answer `count` requests in a row through HAProxy. */
  async function reached(count: number): Promise<Set<string>> {
    const names = new Set<string>();
    for (let i = 0; i < count; i += 1) {
      const response = await fetch(frontend, { signal: AbortSignal.timeout(2_000) });
      const body = await response.text();
      names.add(response.ok ? body : `HTTP ${response.status}`);
    }
    return names;
  }

  function register(index: number): Promise<unknown> {
    const port = instances[index]?.port ?? 0;
    return consul.agent.service.register({
      name: 'web',
      id: `web-${index + 1}`,
      address: '127.0.0.1',
      port,
      check: {
        name: 'health',
        http: `http://127.0.0.1:${port}/health`,
        interval: '200ms',
        timeout: '1s',
      },
    });
  }

  /** Waits until requests through HAProxy reach exactly these instances. */
  async function reachesOnly(...expected: string[]): Promise<void> {
    await eventually(
      `HAProxy sends requests to ${expected.join(' and ')} only`,
      async () => {
        const names = await reached(20);
        return names.size === expected.length && expected.every((name) => names.has(name))
          ? names
          : undefined;
      },
      15_000,
      200,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await serversState(socketPath)}`);
    });
  }

  it('when two instances register with passing checks, then requests through HAProxy reach both; after one deregisters, only the other', async () => {
    await register(0);
    await register(1);

    await reachesOnly('one', 'two');

    await consul.agent.service.deregister('web-2');

    await reachesOnly('one');
    assert.deepEqual([...(await reached(20))], ['one']);
  });

  it('when the check of an instance turns critical, then HAProxy stops sending it requests, and resumes once it passes again', async () => {
    await register(1);
    await reachesOnly('one', 'two');

    instances[1]?.healthy(false);
    await reachesOnly('one');

    instances[1]?.healthy(true);
    await reachesOnly('one', 'two');
  });
});
