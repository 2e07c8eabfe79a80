import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { serviceIdentity, startConsulDouble, type ConsulDouble } from '@filegraph/testing/consul';
import { eventually } from '@filegraph/testing/eventually';
import { graphql } from '@filegraph/testing/graphql';
import { logRecord } from '@filegraph/processes/processes';
import { ScriptedServer } from '@filegraph/testing/scriptedServer';
import { tokenHeaders } from '@filegraph/testing/accounts';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';

const tokens = {
  files: randomUUID(),
  health: randomUUID(),
  accounts: randomUUID(),
  gateway: randomUUID(),
};

describe('services in a Consul with ACLs (default deny)', () => {
  let consul: ConsulDouble;
  let data: { path: string; remove(): Promise<void> };
  const running: RunningService[] = [];
  const consulEnv = (token: string, at = consul.httpAddr) => ({
    CONSUL_HTTP_ADDR: at,
    CONSUL_HTTP_TOKEN: token,
    CONSUL_CHECK_INTERVAL: '300ms',
  });
  const start = async (...args: Parameters<typeof startService>) => {
    const service = await startService(...args);
    running.push(service);
    return service;
  };

  before(async () => {
    consul = await startConsulDouble({
      acl: {
        defaultPolicy: 'deny',
        tokens: Object.entries(tokens).map(([name, secretId]) => ({
          secretId,
          rules: [serviceIdentity(name)],
        })),
      },
    });
    data = await tempDir('consul-acl');
  });

  after(async () => {
    for (const service of running.reverse()) await service.stop();
    await consul?.stop();
    await data?.remove();
  });

  it('when each service has its own token, then each registers and the gateway follows Consul with its token, which nobody without one can read', async () => {
    await start('files', { ...consulEnv(tokens.files), STORAGE: 'disk', DATA_DIR: data.path });
    await start('health', consulEnv(tokens.health));
    await start('accounts', { ...consulEnv(tokens.accounts), DATA_DIR: data.path });
    const gateway = await start('gateway', consulEnv(tokens.gateway));
    await eventually('files, health, accounts and gateway registered', () => {
      const names = consul
        .services()
        .map((s) => s.name)
        .sort();
      return names.join() === 'accounts,files,gateway,health' ? names : undefined;
    });
    const answer = await graphql(
      gateway.url,
      '{ files { totalCount } health { status } }',
      {},
      {
        headers: (await tokenHeaders(gateway.url))(),
      },
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    // Its watches (blocking queries) carried its token: without one, the catalogue is empty.
    const anonymous = await fetch(`http://${consul.httpAddr}/v1/catalog/services`);
    assert.deepEqual(await anonymous.json(), {});
  });

  it('when a service’s token is unknown or may not write its name, then it logs the refusal once, keeps serving, and does not hammer Consul', async () => {
    // Counts what the refused instances ask Consul, passing every request on.
    const asked: string[] = [];
    const proxy = await ScriptedServer.start((incoming, response) => {
      asked.push(`${incoming.method} ${incoming.url}`);
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: consul.httpPort,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      incoming.pipe(upstream);
    });
    try {
      const proxied = proxy.url.replace('http://', '');
      const unknown = await start('health', consulEnv(randomUUID(), proxied));
      const wrongName = await start('health', consulEnv(tokens.gateway, proxied));
      await sleep(3_000);
      for (const [service, says] of [
        [unknown, /ACL not found/],
        [wrongName, /lacks permission 'service:write' on "health"/],
      ] as const) {
        const refusals = service.process
          .output()
          .split('\n')
          .map((line) => logRecord(line))
          .filter((record) => record?.level === 'error' && /HTTP 403/.test(String(record.msg)));
        assert.equal(refusals.length, 1, service.process.output());
        assert.match(String(refusals[0]?.msg), /CONSUL_HTTP_TOKEN/);
        assert.match(String(refusals[0]?.consul), says);
        assert.equal((await fetch(`${service.url}/health`)).status, 200);
      }
      assert.ok(
        asked.length <= 4,
        `asked Consul ${asked.length} times in 3 s: ${asked.join(', ')}`,
      );
      assert.deepEqual(
        consul.services().filter((s) => s.name === 'health').length,
        1,
        'only the instance with the health token is registered',
      );
    } finally {
      await proxy.close();
    }
  });
});
