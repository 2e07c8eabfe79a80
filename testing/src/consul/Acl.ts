import { randomUUID } from 'node:crypto';
import { HttpError } from './HttpError.ts';

/**
 * Consul's ACL system as far as filegraph meets it: tokens, each with rules
 * in Consul's JSON rule syntax, resolved from a request's token and checked
 * the way Consul checks them (an exact rule before the longest matching
 * prefix; among a token's policies deny, then write, then read; what no
 * rule covers falls to the default policy).
 * https://developer.hashicorp.com/consul/docs/security/acl/acl-rules
 */

export type Access = 'read' | 'write' | 'deny';
type Resource = 'service' | 'node' | 'agent';

type Rule = Readonly<Record<string, { readonly policy: Access }>>;

/** One policy's rules, as Consul's JSON syntax writes them: `{ "service": { "files": { "policy": "write" } } }`. */
export interface AclRules {
  readonly service?: Rule;
  readonly service_prefix?: Rule;
  readonly node?: Rule;
  readonly node_prefix?: Rule;
  readonly agent?: Rule;
  readonly agent_prefix?: Rule;
}

export interface AclTokenConfig {
  /** What a client sends (X-Consul-Token, `Authorization: Bearer`, `?token=`). */
  readonly secretId: string;
  /** Shown in refusals, as Consul does; a random UUID when not given. */
  readonly accessorId?: string;
  readonly description?: string;
  /** Consul's global-management policy: everything is allowed. */
  readonly management?: boolean;
  /** One entry per policy linked to the token. */
  readonly rules?: readonly AclRules[];
}

/** What `acl { … }` in an agent's configuration says, for the double. */
export interface AclConfig {
  /** `acl.default_policy`: what a request no rule covers gets. */
  readonly defaultPolicy: 'allow' | 'deny';
  readonly tokens: readonly AclTokenConfig[];
  /** `acl.tokens.dns`: the token whose rights decide what DNS answers; unset: the anonymous token. */
  readonly dnsToken?: string;
}

/** Either ACLs as configured, or 'off': no ACL system, everything allowed (a plain dev agent). */
export type AclOption = AclConfig | 'off';

/** The anonymous token's AccessorID and SecretID, fixed in every Consul. */
const anonymous = { accessorId: '00000000-0000-0000-0000-000000000002', secretId: 'anonymous' };
const order: Readonly<Record<Access, number>> = { read: 0, write: 1, deny: 2 };
const resources: readonly Resource[] = ['service', 'node', 'agent'];

/** The rules Consul's service identity `name` expands to: write on its own name, read on every service and node. */
export function serviceIdentity(name: string): AclRules {
  return {
    service: { [name]: { policy: 'write' }, [`${name}-sidecar-proxy`]: { policy: 'write' } },
    service_prefix: { '': { policy: 'read' } },
    node_prefix: { '': { policy: 'read' } },
  };
}

/** Read on every service and node: what a DNS token or a watcher needs, and nothing to write. */
export const readEverything: AclRules = {
  service_prefix: { '': { policy: 'read' } },
  node_prefix: { '': { policy: 'read' } },
};

/** What one token may do. */
export class Authorizer {
  readonly accessorId: string;
  readonly #management: boolean;
  readonly #exact = new Map<Resource, Map<string, Access>>();
  readonly #prefix = new Map<Resource, Map<string, Access>>();
  readonly #fallback: 'allow' | 'deny';

  constructor(
    accessorId: string,
    rules: readonly AclRules[],
    fallback: 'allow' | 'deny',
    management = false,
  ) {
    this.accessorId = accessorId;
    this.#management = management;
    this.#fallback = fallback;
    for (const resource of resources) {
      this.#exact.set(resource, merged(rules.map((policy) => policy[resource])));
      this.#prefix.set(resource, merged(rules.map((policy) => policy[`${resource}_prefix`])));
    }
  }

  /** Whether this token may read or write `resource` `name`. */
  allows(resource: Resource, name: string, wanted: 'read' | 'write'): boolean {
    if (this.#management) return true;
    const access = this.#exact.get(resource)?.get(name) ?? this.#longestPrefix(resource, name);
    if (access === undefined) return this.#fallback === 'allow';
    return access === 'write' || (access === 'read' && wanted === 'read');
  }

  /** Throws Consul's 403 when this token may not. */
  demand(resource: Resource, name: string, wanted: 'read' | 'write'): void {
    if (this.allows(resource, name, wanted)) return;
    // Consul's PermissionDeniedError text (acl/errors.go), word for word.
    const who =
      this.accessorId === anonymous.accessorId
        ? 'anonymous token'
        : `token with AccessorID '${this.accessorId}'`;
    const hint =
      this.accessorId === anonymous.accessorId
        ? '. The anonymous token is used implicitly when a request does not specify a token.'
        : '';
    throw new HttpError(
      403,
      `Permission denied: ${who} lacks permission '${resource}:${wanted}' on "${name}"${hint}`,
    );
  }

  #longestPrefix(resource: Resource, name: string): Access | undefined {
    let best: string | undefined;
    for (const prefix of this.#prefix.get(resource)?.keys() ?? []) {
      if (name.startsWith(prefix) && (best === undefined || prefix.length > best.length))
        best = prefix;
    }
    return best === undefined ? undefined : this.#prefix.get(resource)?.get(best);
  }
}

/** Among several policies' rules for one name, deny beats write beats read (Consul's policy merger). */
function merged(rules: ReadonlyArray<Rule | undefined>): Map<string, Access> {
  const out = new Map<string, Access>();
  for (const rule of rules) {
    for (const [name, { policy }] of Object.entries(rule ?? {})) {
      const known = out.get(name);
      if (known === undefined || order[policy] > order[known]) out.set(name, policy);
    }
  }
  return out;
}

/** The agent's ACL system: resolves the token a request carries. */
export class Acl {
  readonly enabled: boolean;
  readonly defaultPolicy: 'allow' | 'deny';
  readonly #tokens = new Map<string, Authorizer>();
  readonly #anonymous: Authorizer;
  readonly #dnsToken: string | undefined;

  constructor(option: AclOption) {
    this.enabled = option !== 'off';
    this.defaultPolicy = option === 'off' ? 'allow' : option.defaultPolicy;
    this.#anonymous = new Authorizer(anonymous.accessorId, [], this.defaultPolicy);
    this.#dnsToken = option === 'off' ? undefined : option.dnsToken;
    for (const token of option === 'off' ? [] : option.tokens) {
      this.#tokens.set(
        token.secretId,
        new Authorizer(
          token.accessorId ?? randomUUID(),
          token.rules ?? [],
          this.defaultPolicy,
          token.management,
        ),
      );
    }
  }

  /**
   * The rights of a request's token (an empty one: the anonymous token's).
   * A token Consul does not know is refused outright, as Consul does: 403 "ACL not found".
   */
  resolve(secret: string): Authorizer {
    if (secret === '' || secret === anonymous.secretId || !this.enabled) return this.#anonymous;
    const found = this.#tokens.get(secret);
    if (!found) throw new HttpError(403, 'ACL not found');
    return found;
  }

  /** What DNS answers with: `acl.tokens.dns`, else the anonymous token. */
  dns(): Authorizer {
    return this.resolve(this.#dnsToken ?? '');
  }
}

/** Checks that a parsed JSON document is an AclOption, with a message naming what is wrong. */
export function parseAclOption(value: unknown): AclOption {
  if (value === 'off') return value;
  const config = value as Partial<AclConfig> | null;
  if (typeof config !== 'object' || config === null)
    throw new Error('ACL configuration must be "off" or an object');
  if (config.defaultPolicy !== 'allow' && config.defaultPolicy !== 'deny')
    throw new Error('ACL defaultPolicy must be "allow" or "deny"');
  if (!Array.isArray(config.tokens)) throw new Error('ACL tokens must be a list');
  for (const token of config.tokens as unknown[]) {
    const { secretId, rules } = (token ?? {}) as Partial<AclTokenConfig>;
    if (typeof secretId !== 'string' || secretId === '')
      throw new Error('every ACL token needs a secretId');
    for (const policy of rules ?? []) {
      for (const [kind, rule] of Object.entries(policy)) {
        const valid =
          /^(service|node|agent)(_prefix)?$/.test(kind) &&
          Object.values(rule as Rule).every(({ policy: access }) => access in order);
        if (!valid) throw new Error(`ACL rule ${kind} is not one the double knows`);
      }
    }
  }
  return config as AclConfig;
}
