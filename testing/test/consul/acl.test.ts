import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { consulClient } from '@filegraph/shared/consul';
import {
  readEverything,
  serviceIdentity,
  startConsulDouble,
  type AclConfig,
  type ConsulDouble,
} from '../../src/consul/ConsulDouble.ts';

const secrets = {
  files: randomUUID(),
  health: randomUUID(),
  reader: randomUUID(),
  management: randomUUID(),
};
const filesAccessor = randomUUID();
const readerAccessor = randomUUID();

/** Default deny; a token per service (its service identity), a read-only one, a management one. */
const acl = (dnsToken?: string): AclConfig => ({
  defaultPolicy: 'deny',
  tokens: [
    { secretId: secrets.files, accessorId: filesAccessor, rules: [serviceIdentity('files')] },
    { secretId: secrets.health, rules: [serviceIdentity('health')] },
    { secretId: secrets.reader, accessorId: readerAccessor, rules: [readEverything] },
    { secretId: secrets.management, management: true },
  ],
  ...(dnsToken ? { dnsToken } : {}),
});

const registration = (name: string, id: string, port: number) =>
  JSON.stringify({
    ID: id,
    Name: name,
    Address: '127.0.0.1',
    Port: port,
    Check: { TTL: '1m', Status: 'passing' },
  });

const anonymousDenied = (permission: string, name: string) =>
  `Permission denied: anonymous token lacks permission '${permission}' on "${name}". The anonymous token is used implicitly when a request does not specify a token.`;

describe('Consul double ACLs (default deny)', () => {
  let double: ConsulDouble;
  let base: string;

  const request = async (
    method: 'GET' | 'PUT',
    path: string,
    options: { token?: string; body?: string; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${base}${path}`, {
      method,
      body: options.body,
      headers: {
        ...(options.token ? { 'X-Consul-Token': options.token } : {}),
        ...options.headers,
      },
    });
    const text = await response.text();
    return { status: response.status, text, headers: response.headers };
  };
  const register = (name: string, id: string, token?: string) =>
    request('PUT', '/v1/agent/service/register', { token, body: registration(name, id, 9000) });

  before(async () => {
    double = await startConsulDouble({ acl: acl(secrets.reader) });
    base = `http://${double.httpAddr}`;
  });

  after(() => double.stop());

  beforeEach(() => double.restart());

  it('when a registration carries no token, then Consul’s 403 for the anonymous token refuses it and nothing is registered', async () => {
    const answer = await register('haproxy', '0-stranger');
    assert.equal(answer.status, 403);
    assert.equal(answer.text, anonymousDenied('service:write', 'haproxy'));
    assert.equal(answer.headers.get('x-consul-default-acl-policy'), 'deny');
    assert.deepEqual(double.services(), []);
  });

  it('when a request carries a token Consul does not know, then it gets 403 "ACL not found", for writes and reads alike', async () => {
    await register('files', 'files-1', secrets.files);
    const stranger = randomUUID();
    for (const [method, path, body] of [
      ['PUT', '/v1/agent/service/register', registration('files', '0-files', 9000)],
      ['PUT', '/v1/agent/service/deregister/files-1', undefined],
      ['GET', '/v1/catalog/services', undefined],
      ['GET', '/v1/health/service/files', undefined],
      ['GET', '/v1/health/service/files?index=1&wait=5s', undefined],
      ['GET', '/v1/agent/services', undefined],
    ] as const) {
      const answer = await request(method, path, { token: stranger, body });
      assert.deepEqual([answer.status, answer.text], [403, 'ACL not found'], `${method} ${path}`);
    }
    assert.deepEqual(
      double.services().map((s) => s.id),
      ['files-1'],
    );
  });

  it('when a service’s token registers its own name, then Consul takes it; any other name is refused with the token’s AccessorID', async () => {
    assert.equal((await register('files', 'files-1', secrets.files)).status, 200);
    const other = await register('haproxy', '0-stranger', secrets.files);
    assert.equal(other.status, 403);
    assert.equal(
      other.text,
      `Permission denied: token with AccessorID '${filesAccessor}' lacks permission 'service:write' on "haproxy"`,
    );
    // Nor can it take another service's registration over by registering under its ID.
    assert.equal((await register('health', 'health-1', secrets.health)).status, 200);
    assert.equal((await register('files', 'health-1', secrets.files)).status, 403);
    assert.deepEqual(
      double
        .services()
        .map((s) => `${s.id}:${s.name}`)
        .sort(),
      ['files-1:files', 'health-1:health'],
    );
  });

  it('when a read-only token writes, then it is refused; when it reads, then it sees every service', async () => {
    assert.equal((await register('files', 'files-1', secrets.files)).status, 200);
    const write = await register('files', '0-files', secrets.reader);
    assert.equal(write.status, 403);
    assert.match(write.text, /lacks permission 'service:write' on "files"$/);
    const deregister = await request('PUT', '/v1/agent/service/deregister/files-1', {
      token: secrets.reader,
    });
    assert.equal(deregister.status, 403);
    const ttl = await request('PUT', '/v1/agent/check/fail/service:files-1', {
      token: secrets.reader,
    });
    assert.equal(ttl.status, 403);
    assert.equal(double.services()[0]?.status, 'passing');

    const services = await request('GET', '/v1/catalog/services', { token: secrets.reader });
    assert.deepEqual(JSON.parse(services.text), { consul: [], files: [] });
    const health = await request('GET', '/v1/health/service/files', { token: secrets.reader });
    assert.equal((JSON.parse(health.text) as unknown[]).length, 1);
    assert.equal(health.headers.get('x-consul-results-filtered-by-acls'), null);
  });

  it('when the anonymous token reads, then every list is empty, and it is not told that anything was hidden', async () => {
    assert.equal((await register('files', 'files-1', secrets.files)).status, 200);
    for (const [path, empty] of [
      ['/v1/catalog/services', {}],
      ['/v1/catalog/service/files', []],
      ['/v1/health/service/files', []],
      ['/v1/health/checks/files', []],
      ['/v1/health/state/any', []],
      ['/v1/agent/services', {}],
      ['/v1/agent/checks', {}],
    ] as const) {
      const answer = await request('GET', path);
      assert.equal(answer.status, 200, path);
      assert.deepEqual(JSON.parse(answer.text), empty, path);
      assert.equal(answer.headers.get('x-consul-results-filtered-by-acls'), null, path);
    }
    const one = await request('GET', '/v1/agent/service/files-1');
    assert.deepEqual([one.status, one.text], [403, anonymousDenied('service:read', 'files')]);
  });

  it('when a token may read only some services, then the others are hidden and the answer says it was filtered', async () => {
    const onlyFiles = randomUUID();
    const limited = await startConsulDouble({
      acl: {
        defaultPolicy: 'deny',
        tokens: [
          { secretId: secrets.management, management: true },
          {
            secretId: onlyFiles,
            rules: [
              { service: { files: { policy: 'read' } }, node_prefix: { '': { policy: 'read' } } },
            ],
          },
        ],
      },
    });
    try {
      const at = `http://${limited.httpAddr}`;
      const headers = { 'X-Consul-Token': secrets.management };
      for (const name of ['files', 'health']) {
        await fetch(`${at}/v1/agent/service/register`, {
          method: 'PUT',
          headers,
          body: registration(name, `${name}-1`, 9000),
        });
      }
      const services = await fetch(`${at}/v1/catalog/services`, {
        headers: { 'X-Consul-Token': onlyFiles },
      });
      assert.deepEqual(await services.json(), { files: [] });
      assert.equal(services.headers.get('x-consul-results-filtered-by-acls'), 'true');
    } finally {
      await limited.stop();
    }
  });

  it('when the token comes as ?token=, X-Consul-Token or Authorization: Bearer, then each is honoured, the query parameter first', async () => {
    const body = registration('files', 'files-1', 9000);
    const path = '/v1/agent/service/register';
    assert.equal((await request('PUT', `${path}?token=${secrets.files}`, { body })).status, 200);
    assert.equal((await request('PUT', path, { body, token: secrets.files })).status, 200);
    const bearer = { Authorization: `Bearer ${secrets.files}` };
    assert.equal((await request('PUT', path, { body, headers: bearer })).status, 200);
    const both = await request('PUT', `${path}?token=${secrets.reader}`, {
      body,
      token: secrets.files,
    });
    assert.equal(both.status, 403);
    assert.match(both.text, new RegExp(readerAccessor));
  });

  it('when the shared Consul client has a token, then it registers, lists and follows blocking queries with it', async () => {
    const consul = consulClient(new URL(base), secrets.files);
    try {
      await consul.agent.service.register({ id: 'files-1', name: 'files', port: 9000 });
      assert.deepEqual(Object.keys(await consul.agent.service.list()), ['files-1']);
      const seen = new Promise<unknown>((resolve, reject) => {
        const watch = consul.watch({
          method: consul.health.service.bind(consul.health),
          options: { service: 'files', wait: '5s' } as never,
        });
        watch.on('change', (data: unknown[]) => {
          if (data.length === 2) {
            watch.end();
            resolve(data);
          }
        });
        watch.on('error', (error: Error) => {
          watch.end();
          reject(error);
        });
      });
      await consul.agent.service.register({ id: 'files-2', name: 'files', port: 9001 });
      assert.equal(((await seen) as unknown[]).length, 2);
      await assert.rejects(
        consul.agent.service.register({ id: '0-haproxy', name: 'haproxy', port: 9002 }),
        (error: { statusCode?: number }) => error.statusCode === 403,
      );
    } finally {
      consul.destroy();
    }
  });
});

describe('Consul double DNS under ACLs', () => {
  const started: ConsulDouble[] = [];
  const srv = async (double: ConsulDouble, name: string) => {
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([double.dnsAddr]);
    try {
      return (await resolver.resolveSrv(`_${name}._tcp.service.consul`)).map((r) => r.port);
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };
  const withDnsToken = async (config: AclConfig) => {
    const double = await startConsulDouble({ acl: config });
    started.push(double);
    const put = (name: string, id: string, port: number) =>
      fetch(`http://${double.httpAddr}/v1/agent/service/register`, {
        method: 'PUT',
        headers: { 'X-Consul-Token': secrets.management },
        body: registration(name, id, port),
      });
    await put('files', 'files-1', 8001);
    await put('health', 'health-1', 8002);
    return double;
  };

  after(async () => {
    for (const double of started) await double.stop();
  });

  it('when the agent’s DNS token may read every service, then SRV lookups answer, though the same question over HTTP without a token gets nothing', async () => {
    const double = await withDnsToken(acl(secrets.reader));
    assert.deepEqual(await srv(double, 'files'), [8001]);
    assert.deepEqual(await srv(double, 'health'), [8002]);
    // A DNS query carries no token: the agent's DNS token is what lets it see.
    const anonymous = await fetch(`http://${double.httpAddr}/v1/health/service/files`);
    assert.deepEqual(await anonymous.json(), []);
  });

  it('when no DNS token is set, then DNS answers as the anonymous token: under default deny, no service exists', async () => {
    const double = await withDnsToken(acl());
    assert.equal(await srv(double, 'files'), 'ENOTFOUND');
    assert.equal(await srv(double, 'health'), 'ENOTFOUND');
  });

  it('when the DNS token may read only one service, then only that one answers', async () => {
    const onlyHealth = randomUUID();
    const config = acl();
    const double = await withDnsToken({
      ...config,
      tokens: [
        ...config.tokens,
        {
          secretId: onlyHealth,
          rules: [
            { service: { health: { policy: 'read' } }, node_prefix: { '': { policy: 'read' } } },
          ],
        },
      ],
      dnsToken: onlyHealth,
    });
    assert.equal(await srv(double, 'files'), 'ENOTFOUND');
    assert.deepEqual(await srv(double, 'health'), [8002]);
  });

  it('when the DNS token is one Consul does not know, then lookups fail (SERVFAIL)', async () => {
    const double = await withDnsToken(acl(randomUUID()));
    assert.equal(await srv(double, 'files'), 'ESERVFAIL');
  });
});
