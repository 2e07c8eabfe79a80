import { isIP, isIPv4, isIPv6 } from 'node:net';
import {
  AUTHORITATIVE_ANSWER,
  RECURSION_DESIRED,
  decode,
  encode,
  encodingLength,
  type Answer,
  type DecodedPacket,
  type Packet,
  type Question,
} from 'dns-packet';
import type { Authorizer } from './Acl.ts';
import { HttpError } from './HttpError.ts';
import { worstStatus, type Catalog, type Instance } from './Catalog.ts';

export interface DnsOptions {
  readonly domain: string;
  /** Consul's `dns_config.only_passing`: false also answers instances in warning. */
  readonly onlyPassing: boolean;
  /** Consul's `dns_config.udp_answer_limit`: answers in a UDP reply without EDNS0. */
  readonly udpAnswerLimit: number;
  /**
   * The rights DNS answers with: the agent's DNS token (`acl.tokens.dns`).
   * What it may not read does not exist for DNS; a token Consul does not know fails (SERVFAIL).
   */
  readonly authorizer: () => Authorizer;
}

type Transport = 'udp' | 'tcp';

const rcode = { noError: 0, formErr: 1, servFail: 2, nxDomain: 3, refused: 5 } as const;
// Without EDNS0 a UDP reply must fit in 512 bytes (RFC 1035 §2.3.4).
const plainUdpSize = 512;

interface Lookup {
  readonly answers: Answer[];
  readonly extras: Answer[];
  /** Set when the name does not exist (NXDOMAIN) or cannot be answered. */
  readonly rcode?: number;
}

/**
 * Answers one DNS message like Consul's DNS interface: service lookups
 * (`[tag.]name.service.consul`, `_name._tag.service.consul` per RFC 2782, SRV
 * or A), node and `.addr` lookups, TTL 0, instances with a critical check
 * left out, SRV targets' addresses in the additional section, UDP replies
 * trimmed like Consul's (3 answers without EDNS0, the advertised size with
 * it), NXDOMAIN with the zone's SOA for names that do not exist or that the
 * DNS token may not read (Consul's ACL filtering). Undefined
 * when the message cannot even be read as a query.
 * https://developer.hashicorp.com/consul/docs/services/discovery/dns-static-lookups
 */
export function answerDnsQuery(
  message: Buffer,
  transport: Transport,
  catalog: Catalog,
  options: DnsOptions,
): Buffer | undefined {
  let query: DecodedPacket;
  try {
    query = decode(message);
  } catch {
    if (message.length < 2) return undefined;
    return encode({ type: 'response', id: message.readUInt16BE(0), flags: rcode.formErr });
  }
  const question = query.questions?.[0];
  const base = {
    type: 'response' as const,
    id: query.id ?? 0,
    questions: question ? [question] : [],
  };
  if (query.type !== 'query' || !question) {
    return encode({ ...base, flags: rcode.formErr });
  }
  const lookup = look(question, catalog, options);
  if (lookup.rcode === rcode.refused) {
    return encode({ ...base, flags: ((query.flags ?? 0) & RECURSION_DESIRED) | rcode.refused });
  }
  const opt = query.additionals?.find((record) => record.type === 'OPT');
  const maxSize =
    transport === 'tcp'
      ? 65_535
      : Math.max(plainUdpSize, opt && 'udpPayloadSize' in opt ? opt.udpPayloadSize : 0);
  const reply: Packet = {
    ...base,
    flags: AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & RECURSION_DESIRED) | (lookup.rcode ?? 0),
    answers: lookup.answers,
    authorities: lookup.answers.length === 0 ? [soa(options.domain)] : [],
    additionals: lookup.extras,
  };
  const withOpt = (packet: Packet): Packet =>
    opt && 'udpPayloadSize' in opt
      ? {
          ...packet,
          additionals: [
            ...(packet.additionals ?? []),
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: opt.udpPayloadSize,
              extendedRcode: 0,
              ednsVersion: 0,
              flags: 0,
              flag_do: false,
              options: [],
            },
          ],
        }
      : packet;
  if (transport === 'udp' && maxSize === plainUdpSize) {
    reply.answers = keepAnswers(reply, options.udpAnswerLimit);
    reply.additionals = extrasFor(reply.answers, lookup.extras);
  }
  // Like Consul, drop answers until the reply fits; the TC flag stays clear
  // (dns_config.enable_truncate is off by default).
  while ((reply.answers?.length ?? 0) > 0 && encodingLength(withOpt(reply)) > maxSize) {
    reply.answers = keepAnswers(reply, (reply.answers?.length ?? 1) - 1);
    reply.additionals = extrasFor(reply.answers, lookup.extras);
  }
  return encode(withOpt(reply));
}

function keepAnswers(reply: Packet, count: number): Answer[] {
  return (reply.answers ?? []).slice(0, count);
}

/** The additional records still referenced by the remaining SRV answers. */
function extrasFor(answers: readonly Answer[], extras: readonly Answer[]): Answer[] {
  const targets = new Set(
    answers.flatMap((answer) => (answer.type === 'SRV' ? [answer.data.target.toLowerCase()] : [])),
  );
  return extras.filter((extra) => targets.has(extra.name.toLowerCase()));
}

function look(question: Question, catalog: Catalog, options: DnsOptions): Lookup {
  const labels = question.name.toLowerCase().split('.').filter(Boolean);
  const domain = options.domain.toLowerCase().split('.').filter(Boolean);
  if (
    labels.length < domain.length ||
    labels.slice(-domain.length).join('.') !== domain.join('.')
  ) {
    // Names outside the domain would go to recursors; the double has none.
    return { answers: [], extras: [], rcode: rcode.refused };
  }
  const rest = labels.slice(0, -domain.length);
  const parsed = splitDatacenter(rest);
  const notFound: Lookup = { answers: [], extras: [], rcode: rcode.nxDomain };
  if (!parsed) return notFound;
  if (parsed.datacenter !== undefined && parsed.datacenter !== catalog.node.datacenter) {
    return { answers: [], extras: [], rcode: rcode.servFail };
  }
  let authorizer: Authorizer;
  try {
    authorizer = options.authorizer();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { answers: [], extras: [], rcode: rcode.servFail };
  }
  const nodeVisible = authorizer.allows('node', catalog.node.name, 'read');
  const names = new Names(catalog, options.domain);
  const { kind, parts } = parsed;
  if (kind === 'node') {
    if (parts.length !== 1 || parts[0] !== catalog.node.name.toLowerCase() || !nodeVisible)
      return notFound;
    return {
      answers: addressRecords(question.name, question.type, catalog.node.address),
      extras: [],
    };
  }
  if (kind === 'addr') {
    const address = parts.length === 1 ? addressFromHex(parts[0] ?? '') : undefined;
    if (!address) return notFound;
    return { answers: addressRecords(question.name, question.type, address), extras: [] };
  }
  const service = serviceQuery(parts);
  if (!service) return notFound;
  const instances = shuffle(
    catalog.instances(service.name).filter((instance) => {
      // Consul filters service lookups by node:read and service:read.
      if (!nodeVisible || !authorizer.allows('service', instance.service.registration.name, 'read'))
        return false;
      const tags = instance.service.registration.tags.map((tag) => tag.toLowerCase());
      if (service.tag && !tags.includes(service.tag)) return false;
      const status = worstStatus(instance.checks.map((check) => check.status));
      return status === 'passing' || (status === 'warning' && !options.onlyPassing);
    }),
  );
  if (instances.length === 0) return notFound;
  if (question.type === 'SRV') return srvRecords(question, instances, names);
  const answers: Answer[] = [];
  const seen = new Set<string>();
  for (const instance of instances) {
    const address = names.addressOf(instance);
    if (seen.has(address)) continue;
    seen.add(address);
    answers.push(...addressRecords(question.name, question.type, address));
  }
  return { answers, extras: [] };
}

function srvRecords(question: Question, instances: readonly Instance[], names: Names): Lookup {
  const answers: Answer[] = [];
  const extras: Answer[] = [];
  const seen = new Set<string>();
  for (const instance of instances) {
    const registration = instance.service.registration;
    const address = names.addressOf(instance);
    if (seen.has(`${address}:${registration.port}`)) continue;
    seen.add(`${address}:${registration.port}`);
    const target = names.targetOf(address);
    const warning = worstStatus(instance.checks.map((check) => check.status)) === 'warning';
    answers.push({
      type: 'SRV',
      name: question.name,
      ttl: 0,
      data: {
        priority: 1,
        weight: warning ? registration.weights.Warning : registration.weights.Passing,
        port: registration.port,
        target,
      },
    });
    if (isIP(address) && !extras.some((extra) => extra.name === target)) {
      extras.push(...addressRecords(target, 'ANY', address));
    }
  }
  return { answers, extras };
}

/** The records of an address that answer a question of this type (a hostname answers as CNAME). */
function addressRecords(name: string, type: string, address: string): Answer[] {
  // dns-packet reads query type 255 as "ANY", which its types leave out.
  const any = type === 'ANY';
  if (isIPv4(address))
    return type === 'A' || any ? [{ type: 'A', name, ttl: 0, data: address }] : [];
  if (isIPv6(address)) {
    return type === 'AAAA' || any ? [{ type: 'AAAA', name, ttl: 0, data: address }] : [];
  }
  return type === 'A' || type === 'AAAA' || any
    ? [{ type: 'CNAME', name, ttl: 0, data: address }]
    : [];
}

/** How Consul names what an SRV record points at. */
class Names {
  #catalog: Catalog;
  #domain: string;

  constructor(catalog: Catalog, domain: string) {
    this.#catalog = catalog;
    this.#domain = domain;
  }

  /** The service's own address, or its node's when it registered none. */
  addressOf(instance: Instance): string {
    return instance.service.registration.address || this.#catalog.node.address;
  }

  /**
   * `<node>.node.<dc>.<domain>` for the node's own address, `<hex>.addr.<dc>.<domain>`
   * for another IP (an SRV target must be a name), the hostname itself otherwise.
   */
  targetOf(address: string): string {
    const { name, address: nodeAddress, datacenter } = this.#catalog.node;
    if (address === nodeAddress) return `${name}.node.${datacenter}.${this.#domain}`;
    const hex = addressToHex(address);
    return hex ? `${hex}.addr.${datacenter}.${this.#domain}` : address;
  }
}

function addressToHex(address: string): string | undefined {
  if (isIPv4(address)) {
    return address
      .split('.')
      .map((octet) => Number(octet).toString(16).padStart(2, '0'))
      .join('');
  }
  if (!isIPv6(address)) return undefined;
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  return [
    ...groups(head),
    ...Array<string>(address.includes('::') ? missing : 0).fill('0'),
    ...groups(tail),
  ]
    .map((group) => group.padStart(4, '0'))
    .join('')
    .toLowerCase();
}

function addressFromHex(hex: string): string | undefined {
  if (/^[0-9a-f]{8}$/.test(hex)) {
    return (hex.match(/../g) ?? []).map((byte) => parseInt(byte, 16)).join('.');
  }
  if (/^[0-9a-f]{32}$/.test(hex)) return (hex.match(/.{4}/g) ?? []).join(':');
  return undefined;
}

/** Splits `…service[.dc1[.dc]]` into the lookup kind, the labels before it and the datacenter. */
function splitDatacenter(
  rest: readonly string[],
):
  | { kind: 'service' | 'node' | 'addr'; parts: string[]; datacenter: string | undefined }
  | undefined {
  const kinds = ['service', 'node', 'addr'];
  const candidates: { kindAt: number; datacenter: string | undefined }[] = [
    { kindAt: rest.length - 1, datacenter: undefined },
    { kindAt: rest.length - 2, datacenter: rest[rest.length - 1] },
    ...(rest[rest.length - 1] === 'dc'
      ? [{ kindAt: rest.length - 3, datacenter: rest[rest.length - 2] }]
      : []),
  ];
  for (const { kindAt, datacenter } of candidates) {
    const kind = rest[kindAt];
    if (kindAt >= 1 && kind && kinds.includes(kind)) {
      return {
        kind: kind as 'service' | 'node' | 'addr',
        parts: rest.slice(0, kindAt),
        datacenter,
      };
    }
  }
  return undefined;
}

/** `name`, `tag.name`, or RFC 2782's `_name._tag` where the tag `tcp` means no tag. */
function serviceQuery(
  parts: readonly string[],
): { name: string; tag: string | undefined } | undefined {
  const [first, second] = parts;
  if (parts.length === 1 && first) return { name: first, tag: undefined };
  if (parts.length !== 2 || !first || !second) return undefined;
  if (first.startsWith('_') && second.startsWith('_')) {
    const tag = second.slice(1);
    return { name: first.slice(1), tag: tag === 'tcp' ? undefined : tag };
  }
  return { name: second, tag: first };
}

function soa(domain: string): Answer {
  return {
    type: 'SOA',
    name: domain,
    ttl: 0,
    data: {
      mname: `ns.${domain}`,
      rname: `hostmaster.${domain}`,
      serial: Math.floor(Date.now() / 1000),
      refresh: 3600,
      retry: 600,
      expire: 86_400,
      minimum: 0,
    },
  };
}

/** Consul shuffles instances so that clients spread over them. */
function shuffle<T>(items: readonly T[]): T[] {
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
  }
  return shuffled;
}
