import { HttpError } from './HttpError.ts';
import { parseDuration } from './parseDuration.ts';

export type CheckStatus = 'passing' | 'warning' | 'critical';

/** How a check learns its status: the double probes HTTP and TCP itself, TTL checks are pushed. */
export type CheckProbe =
  | {
      readonly type: 'http';
      readonly url: string;
      readonly method: string;
      readonly header: Readonly<Record<string, readonly string[]>>;
      readonly body: string;
      readonly tlsSkipVerify: boolean;
      /** The name the server's certificate must carry (and SNI); default: the URL's host. */
      readonly tlsServerName: string;
      readonly disableRedirects: boolean;
      readonly intervalMs: number;
      readonly timeoutMs: number;
    }
  | {
      readonly type: 'tcp';
      readonly address: string;
      readonly intervalMs: number;
      readonly timeoutMs: number;
    }
  | { readonly type: 'ttl'; readonly ttlMs: number };

export interface CheckDefinition {
  readonly checkId: string;
  readonly name: string;
  readonly notes: string;
  /** The status a new check starts with; Consul's default is critical. */
  readonly initialStatus: CheckStatus;
  readonly probe: CheckProbe;
  readonly deregisterCriticalServiceAfterMs: number | undefined;
}

export interface TaggedAddress {
  readonly Address: string;
  readonly Port: number;
}

export interface ServiceRegistration {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly tags: readonly string[];
  readonly address: string;
  readonly port: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly taggedAddresses: Readonly<Record<string, TaggedAddress>> | undefined;
  readonly weights: { readonly Passing: number; readonly Warning: number };
  readonly enableTagOverride: boolean;
  readonly checks: readonly CheckDefinition[];
}

type Json = Record<string, unknown>;

// Consul's HTTP check timeout when none is given.
const defaultCheckTimeoutMs = 10_000;
const statuses: readonly string[] = ['passing', 'warning', 'critical'];

/**
 * Reads the body of `PUT /v1/agent/service/register` the way Consul does:
 * PascalCase or snake_case keys, durations as "10s" or nanoseconds, `Check`
 * and `Checks` merged, check IDs and names generated when missing.
 * https://developer.hashicorp.com/consul/api-docs/agent/service#register-service
 */
export function parseRegistration(body: unknown): ServiceRegistration {
  const service = object(body, 'service definition');
  const name = optionalString(service, 'Name');
  if (!name) throw new HttpError(400, 'Missing service name');
  const id = optionalString(service, 'ID') || name;
  const single = field(service, 'Check');
  const many = field(service, 'Checks');
  const checkBodies = [
    ...(single === undefined || single === null ? [] : [object(single, 'Check')]),
    ...(many === undefined || many === null ? [] : array(many, 'Checks')).map((check, index) =>
      object(check, `Checks[${index}]`),
    ),
  ];
  const checks = checkBodies.map((check, index) =>
    parseCheck(check, {
      checkId: checkBodies.length > 1 ? `service:${id}:${index + 1}` : `service:${id}`,
      name: `Service '${name}' check`,
    }),
  );
  const weights = field(service, 'Weights');
  return {
    id,
    name,
    kind: optionalString(service, 'Kind'),
    tags: stringArray(service, 'Tags'),
    address: optionalString(service, 'Address'),
    port: optionalNumber(service, 'Port'),
    meta: stringMap(service, 'Meta'),
    taggedAddresses: taggedAddresses(service),
    weights:
      weights === undefined || weights === null
        ? { Passing: 1, Warning: 1 }
        : {
            Passing: optionalNumber(object(weights, 'Weights'), 'Passing') || 1,
            Warning: optionalNumber(object(weights, 'Weights'), 'Warning') || 1,
          },
    enableTagOverride: field(service, 'EnableTagOverride') === true,
    checks,
  };
}

function parseCheck(
  check: Json,
  defaults: { readonly checkId: string; readonly name: string },
): CheckDefinition {
  const status = optionalString(check, 'Status');
  if (status && !statuses.includes(status)) {
    throw new HttpError(400, "Status for checks must 'passing', 'warning', 'critical'");
  }
  return {
    checkId: optionalString(check, 'CheckID') || optionalString(check, 'ID') || defaults.checkId,
    name: optionalString(check, 'Name') || defaults.name,
    notes: optionalString(check, 'Notes'),
    initialStatus: (status || 'critical') as CheckStatus,
    probe: parseProbe(check),
    deregisterCriticalServiceAfterMs: duration(check, 'DeregisterCriticalServiceAfter'),
  };
}

function parseProbe(check: Json): CheckProbe {
  const intervalMs = duration(check, 'Interval') ?? 0;
  const ttlMs = duration(check, 'TTL') ?? 0;
  const timeoutMs = duration(check, 'Timeout') || defaultCheckTimeoutMs;
  const http = optionalString(check, 'HTTP');
  const tcp = optionalString(check, 'TCP');
  if (intervalMs > 0 && ttlMs > 0) invalid('Interval and TTL cannot both be specified');
  if (http || tcp) {
    if (intervalMs <= 0)
      invalid('Interval must be > 0 for Script, HTTP, H2PING, TCP or UDP checks');
    if (http) {
      return {
        type: 'http',
        url: http,
        method: optionalString(check, 'Method') || 'GET',
        header: headerMap(check),
        body: optionalString(check, 'Body'),
        tlsSkipVerify: field(check, 'TLSSkipVerify') === true,
        tlsServerName: optionalString(check, 'TLSServerName'),
        disableRedirects: field(check, 'DisableRedirects') === true,
        intervalMs,
        timeoutMs,
      };
    }
    return { type: 'tcp', address: tcp, intervalMs, timeoutMs };
  }
  const unsupported = [
    'Args',
    'ScriptArgs',
    'Script',
    'GRPC',
    'H2PING',
    'UDP',
    'OSService',
    'DockerContainerID',
    'AliasService',
    'AliasNode',
  ];
  const named = unsupported.find((key) => field(check, key) !== undefined);
  if (named)
    invalid(`${named} checks are not run by the Consul test double, only HTTP, TCP and TTL`);
  if (ttlMs <= 0) invalid('TTL must be > 0 for TTL checks');
  return { type: 'ttl', ttlMs };
}

function invalid(reason: string): never {
  throw new HttpError(400, `Invalid check: ${reason}`);
}

/** A field by its Consul name, also found in snake_case or any letter case (as Consul accepts). */
export function field(source: Json, name: string): unknown {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(source)) {
    if (key.replaceAll('_', '').toLowerCase() === wanted) return value;
  }
  return undefined;
}

function decodeFailed(what: string, expected: string): never {
  throw new HttpError(400, `Request decode failed: ${what} must be ${expected}`);
}

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    decodeFailed(what, 'a JSON object');
  }
  return value as Json;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) decodeFailed(what, 'a JSON array');
  return value;
}

function optionalString(source: Json, name: string): string {
  const value = field(source, name);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') decodeFailed(name, 'a string');
  return value;
}

function optionalNumber(source: Json, name: string): number {
  const value = field(source, name);
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) decodeFailed(name, 'an integer');
  return value;
}

function duration(source: Json, name: string): number | undefined {
  const value = field(source, name);
  if (value === undefined || value === null || value === '') return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) decodeFailed(name, 'a duration such as "10s" or "5m"');
  return ms;
}

function stringArray(source: Json, name: string): string[] {
  const value = field(source, name);
  if (value === undefined || value === null) return [];
  return array(value, name).map((item) =>
    typeof item === 'string' ? item : decodeFailed(name, 'an array of strings'),
  );
}

function stringMap(source: Json, name: string): Record<string, string> {
  const value = field(source, name);
  if (value === undefined || value === null) return {};
  const entries = Object.entries(object(value, name));
  for (const [, item] of entries)
    if (typeof item !== 'string') decodeFailed(name, 'a map of strings');
  return Object.fromEntries(entries) as Record<string, string>;
}

function headerMap(check: Json): Record<string, string[]> {
  const value = field(check, 'Header');
  if (value === undefined || value === null) return {};
  return Object.fromEntries(
    Object.entries(object(value, 'Header')).map(([key, values]) => [
      key,
      array(values, `Header.${key}`).map((item) =>
        typeof item === 'string' ? item : decodeFailed(`Header.${key}`, 'an array of strings'),
      ),
    ]),
  );
}

function taggedAddresses(service: Json): Record<string, TaggedAddress> | undefined {
  const value = field(service, 'TaggedAddresses');
  if (value === undefined || value === null) return undefined;
  return Object.fromEntries(
    Object.entries(object(value, 'TaggedAddresses')).map(([key, entry]) => {
      const address = object(entry, `TaggedAddresses.${key}`);
      return [
        key,
        { Address: optionalString(address, 'Address'), Port: optionalNumber(address, 'Port') },
      ];
    }),
  );
}
