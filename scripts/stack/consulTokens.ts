import { randomUUID } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  readEverything,
  serviceIdentity,
  type AclConfig,
  type AclRules,
} from '@filegraph/testing/consul';

/**
 * The native stack's Consul ACL tokens (issue 19: nobody can pose as a
 * service): one per process that talks to Consul, each allowed only what that
 * process does. Made new at every start: both Consuls the stack runs (the
 * double, `consul agent -dev`) forget everything when they stop, and every
 * process holding a token is started by the same run, so nothing needs a
 * token from an earlier run, and a token seen once dies with its run.
 */
export interface ConsulTokens {
  /** Consul's global-management: for an operator, and to create the others in a real Consul. */
  readonly management: string;
  /** The agent's own (node identity): a real agent registers its node with it. */
  readonly agent: string;
  /** `acl.tokens.dns`: what HAProxy's DNS lookups see; read on services and nodes, nothing else. */
  readonly dns: string;
  /** Registers the `haproxy` service, which HAProxy does not do itself. */
  readonly haproxy: string;
  readonly files: string;
  readonly health: string;
  readonly accounts: string;
  readonly gateway: string;
  /** `npm run stack -- --ops`: Prometheus finds the instances with it; reads services and nodes only. */
  readonly prometheus: string;
}

/** The services whose tokens are their service identity: write on their own name, read on the rest. */
const services = ['haproxy', 'files', 'health', 'accounts', 'gateway'] as const;

/** The node name the stack gives a real agent, which the agent token's node identity names. */
export const consulNode = 'filegraph';

export function newConsulTokens(): ConsulTokens {
  return {
    management: randomUUID(),
    agent: randomUUID(),
    dns: randomUUID(),
    haproxy: randomUUID(),
    files: randomUUID(),
    health: randomUUID(),
    accounts: randomUUID(),
    gateway: randomUUID(),
    prometheus: randomUUID(),
  };
}

/** What a node identity expands to in Consul: write on that node, read on every service. */
const nodeIdentity = (node: string): AclRules => ({
  node: { [node]: { policy: 'write' } },
  service_prefix: { '': { policy: 'read' } },
});

/** The Consul test double's ACL system for these tokens: default deny, DNS with the DNS token. */
export function doubleAcl(tokens: ConsulTokens): AclConfig {
  return {
    defaultPolicy: 'deny',
    dnsToken: tokens.dns,
    tokens: [
      { secretId: tokens.management, description: 'operator', management: true },
      { secretId: tokens.agent, description: 'agent', rules: [nodeIdentity(consulNode)] },
      { secretId: tokens.dns, description: 'DNS lookups', rules: [readEverything] },
      { secretId: tokens.prometheus, description: 'Prometheus', rules: [readEverything] },
      ...services.map((name) => ({
        secretId: tokens[name],
        description: `registers ${name}`,
        rules: [serviceIdentity(name)],
      })),
    ],
  };
}

/**
 * Writes what the stack's Consul reads at start into `folder` (mode 0700,
 * files 0600: they hold the management token): `acl.json` for the double,
 * `acl.hcl` for a real agent (ACLs on, default deny, its own tokens).
 */
export async function writeConsulAcl(
  folder: string,
  tokens: ConsulTokens,
): Promise<{ double: string; agent: string }> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(folder, 0o700);
  const paths = { double: join(folder, 'acl.json'), agent: join(folder, 'acl.hcl') };
  const agent = `# Written by npm run stack at every start; the tokens die with the run.
acl {
  enabled        = true
  default_policy = "deny"
  tokens {
    initial_management = "${tokens.management}"
    agent              = "${tokens.agent}"
    dns                = "${tokens.dns}"
  }
}
`;
  for (const [path, text] of [
    [paths.double, JSON.stringify(doubleAcl(tokens), null, 2)],
    [paths.agent, agent],
  ] as const) {
    await writeFile(path, text, { mode: 0o600 });
    await chmod(path, 0o600);
  }
  return paths;
}

/**
 * Creates the tokens in a real Consul agent through its ACL API, with the
 * management token it was started with (a dev agent forgets them at every
 * restart, so this runs after each start). Retries while the agent's ACL
 * system is still bootstrapping.
 * https://developer.hashicorp.com/consul/api-docs/acl/tokens
 */
export async function createConsulTokens(address: string, tokens: ConsulTokens): Promise<void> {
  const put = async (path: string, body: object) => {
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`http://${address}/v1${path}`, {
        method: 'PUT',
        headers: { 'X-Consul-Token': tokens.management },
        body: JSON.stringify(body),
      });
      if (response.ok) return;
      const reason = await response.text();
      if (attempt >= 50)
        throw new Error(`Consul refused ${path} (HTTP ${response.status}): ${reason}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  };
  await put('/acl/policy', { Name: 'dns-read', Rules: JSON.stringify(readEverything) });
  await put('/acl/token', {
    SecretID: tokens.agent,
    Description: 'agent',
    NodeIdentities: [{ NodeName: consulNode, Datacenter: 'dc1' }],
  });
  await put('/acl/token', {
    SecretID: tokens.dns,
    Description: 'DNS lookups',
    Policies: [{ Name: 'dns-read' }],
  });
  await put('/acl/token', {
    SecretID: tokens.prometheus,
    Description: 'Prometheus',
    Policies: [{ Name: 'dns-read' }],
  });
  for (const name of services) {
    await put('/acl/token', {
      SecretID: tokens[name],
      Description: `registers ${name}`,
      ServiceIdentities: [{ ServiceName: name }],
    });
  }
}
