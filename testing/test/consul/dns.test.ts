import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  decode,
  encode,
  streamDecode,
  streamEncode,
  type DecodedPacket,
  type Packet,
} from 'dns-packet';
import Consul from 'consul';
import { startConsulDouble, type ConsulDouble } from '../../src/consul/ConsulDouble.ts';

function query(name: string, type: 'SRV' | 'A', edns?: number): Packet {
  return {
    type: 'query',
    id: Math.floor(Math.random() * 65_535),
    flags: 0,
    questions: [{ type, name }],
    additionals:
      edns === undefined
        ? []
        : [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: edns,
              extendedRcode: 0,
              ednsVersion: 0,
              flags: 0,
              flag_do: false,
              options: [],
            },
          ],
  };
}

async function overUdp(port: number, packet: Packet): Promise<DecodedPacket> {
  const socket = createSocket('udp4');
  try {
    socket.send(encode(packet), port, '127.0.0.1');
    const [message] = (await once(socket, 'message', { signal: AbortSignal.timeout(2_000) })) as [
      Buffer,
    ];
    return decode(message);
  } finally {
    socket.close();
  }
}

async function overTcp(port: number, packet: Packet): Promise<DecodedPacket> {
  const socket = connect({ port, host: '127.0.0.1' });
  try {
    socket.write(streamEncode(packet));
    let received = Buffer.alloc(0);
    for await (const chunk of socket) {
      received = Buffer.concat([received, chunk as Buffer]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) break;
    }
    return streamDecode(received) as DecodedPacket;
  } finally {
    socket.destroy();
  }
}

const rcodeOf = (packet: DecodedPacket) => (packet.flags ?? 0) & 0xf;

describe('Consul double DNS interface', () => {
  let double: ConsulDouble;
  let consul: Consul;
  let resolver: Resolver;

  before(async () => {
    double = await startConsulDouble({ acl: 'off' });
    consul = new Consul({ host: '127.0.0.1', port: double.httpPort });
    resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([double.dnsAddr]);
  });

  after(async () => {
    consul.destroy();
    await double.stop();
  });

  beforeEach(() => double.restart());

  const register = (
    id: string,
    port: number,
    options: { status?: string; tags?: string[]; address?: string } = {},
  ) =>
    consul.agent.service.register({
      name: 'web',
      id,
      port,
      address: options.address ?? '127.0.0.1',
      tags: options.tags ?? [],
      check: { name: 'ttl', ttl: '1m', status: options.status ?? 'passing', timeout: '1s' },
    });

  it('when SRV is asked in RFC 2782 form, then only instances that are not critical answer, with TTL 0', async () => {
    await register('web-1', 8001);
    await register('web-2', 8002, { status: 'critical' });
    await register('web-3', 8003, { status: 'warning' });

    const records = await resolver.resolveSrv('_web._tcp.service.consul');

    assert.deepEqual(records.map((record) => record.port).sort(), [8001, 8003]);
    for (const record of records) assert.equal(record.name, 'consul-double.node.dc1.consul');
    const raw = await overUdp(double.dnsPort, query('_web._tcp.service.consul', 'SRV', 4096));
    for (const answer of raw.answers ?? []) assert.equal((answer as { ttl: number }).ttl, 0);
  });

  it('when SRV is asked as <service>.service.consul or <tag>.<service>.service.consul, then the tag filters instances', async () => {
    await register('web-1', 8001, { tags: ['blue'] });
    await register('web-2', 8002, { tags: ['green'] });

    const all = await resolver.resolveSrv('web.service.consul');
    const blue = await resolver.resolveSrv('blue.web.service.consul');
    const viaRfcTag = await resolver.resolveSrv('_web._green.service.dc1.consul');

    assert.deepEqual(all.map((record) => record.port).sort(), [8001, 8002]);
    assert.deepEqual(
      blue.map((record) => record.port),
      [8001],
    );
    assert.deepEqual(
      viaRfcTag.map((record) => record.port),
      [8002],
    );
  });

  it('when an instance registers another address, then its SRV target is <hex>.addr.dc1.consul with an A record in the additional section', async () => {
    await register('web-1', 8001, { address: '10.1.2.3' });

    const reply = await overUdp(double.dnsPort, query('_web._tcp.service.consul', 'SRV'));

    assert.deepEqual(
      reply.answers?.map((answer) => (answer.type === 'SRV' ? answer.data : undefined)),
      [{ priority: 1, weight: 1, port: 8001, target: '0a010203.addr.dc1.consul' }],
    );
    assert.deepEqual(
      reply.additionals?.map((record) => [
        record.name,
        record.type,
        'data' in record ? record.data : '',
      ]),
      [['0a010203.addr.dc1.consul', 'A', '10.1.2.3']],
    );
    assert.deepEqual(await resolver.resolve4('0a010203.addr.dc1.consul'), ['10.1.2.3']);
  });

  it('when A is asked for <service>.service.consul, then the addresses of healthy instances answer', async () => {
    await register('web-1', 8001, { address: '10.0.0.1' });
    await register('web-2', 8002, { address: '10.0.0.2' });
    await register('web-3', 8003, { address: '10.0.0.3', status: 'critical' });

    assert.deepEqual((await resolver.resolve4('web.service.consul')).sort(), [
      '10.0.0.1',
      '10.0.0.2',
    ]);
  });

  it('when a name does not exist, then the answer is NXDOMAIN with the SOA in the authority section', async () => {
    await register('web-1', 8001, { status: 'critical' });

    for (const name of ['nope.service.consul', 'web.service.consul', 'nope.node.consul']) {
      const reply = await overUdp(double.dnsPort, query(name, 'SRV'));
      assert.equal(rcodeOf(reply), 3, name);
      assert.equal(reply.flag_aa, true);
      assert.deepEqual(
        reply.authorities?.map((record) => [record.name, record.type]),
        [['consul', 'SOA']],
      );
    }
    await assert.rejects(resolver.resolveSrv('nope.service.consul'), { code: 'ENOTFOUND' });
  });

  it('when a UDP query has no EDNS0, then at most 3 records answer; with EDNS0 or over TCP, all of them', async () => {
    for (let i = 1; i <= 5; i += 1)
      await register(`web-${i}`, 8000 + i, { address: `10.0.0.${i}` });

    const plain = await overUdp(double.dnsPort, query('_web._tcp.service.consul', 'SRV'));
    const edns = await overUdp(double.dnsPort, query('_web._tcp.service.consul', 'SRV', 8192));
    const tcp = await overTcp(double.dnsPort, query('_web._tcp.service.consul', 'SRV'));

    assert.equal(plain.answers?.length, 3);
    assert.equal(plain.flag_tc, false);
    assert.equal(plain.additionals?.length, 3);
    assert.equal(edns.answers?.length, 5);
    assert.equal(edns.additionals?.filter((record) => record.type === 'A').length, 5);
    assert.equal(tcp.answers?.length, 5);
  });

  it('when the double restarts, then DNS answers on the same port and has forgotten the instances', async () => {
    await register('web-1', 8001);
    assert.equal((await resolver.resolveSrv('web.service.consul')).length, 1);

    await double.restart();

    await assert.rejects(resolver.resolveSrv('web.service.consul'), { code: 'ENOTFOUND' });
    const consulItself = await resolver.resolveSrv('consul.service.consul');
    assert.deepEqual(
      consulItself.map((record) => record.port),
      [8300],
    );
  });

  it('when the double is started with dnsOnlyPassing, then instances in warning no longer answer', async () => {
    const strict = await startConsulDouble({ acl: 'off', dnsOnlyPassing: true });
    const client = new Consul({ host: '127.0.0.1', port: strict.httpPort });
    try {
      const check = (status: string) => ({ name: 'ttl', ttl: '1m', status, timeout: '1s' });
      await client.agent.service.register({
        name: 'web',
        id: 'web-1',
        port: 8001,
        check: check('passing'),
      });
      await client.agent.service.register({
        name: 'web',
        id: 'web-2',
        port: 8002,
        check: check('warning'),
      });
      const strictResolver = new Resolver({ timeout: 2_000, tries: 1 });
      strictResolver.setServers([strict.dnsAddr]);

      const records = await strictResolver.resolveSrv('_web._tcp.service.consul');

      assert.deepEqual(
        records.map((record) => record.port),
        [8001],
      );
    } finally {
      client.destroy();
      await strict.stop();
    }
  });
});
