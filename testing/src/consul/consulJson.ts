import type { CheckEntry, Instance, Node, ServiceEntry } from './Catalog.ts';
import { formatDuration } from './parseDuration.ts';

/**
 * The JSON bodies Consul answers with, field for field as its API documents
 * them (https://developer.hashicorp.com/consul/api-docs), built from the
 * catalog. One function per shape.
 */

type Json = Record<string, unknown>;

/** An entry of `GET /v1/agent/services`, also the body of `GET /v1/agent/service/:id`. */
export function agentServiceJson(service: ServiceEntry, node: Node): Json {
  const registration = service.registration;
  return {
    ...(registration.kind ? { Kind: registration.kind } : {}),
    ID: registration.id,
    Service: registration.name,
    Tags: registration.tags,
    Meta: registration.meta,
    Port: registration.port,
    Address: registration.address,
    ...(registration.taggedAddresses ? { TaggedAddresses: registration.taggedAddresses } : {}),
    Weights: registration.weights,
    EnableTagOverride: registration.enableTagOverride,
    Datacenter: node.datacenter,
  };
}

/** A check as `/v1/agent/checks`, `/v1/health/checks/:service` and `/v1/health/service/:service` show it. */
export function checkJson(check: CheckEntry, service: ServiceEntry, node: Node): Json {
  const probe = check.definition.probe;
  return {
    Node: node.name,
    CheckID: check.definition.checkId,
    Name: check.definition.name,
    Status: check.status,
    Notes: check.definition.notes,
    Output: check.output,
    ServiceID: service.registration.id,
    ServiceName: service.registration.name,
    ServiceTags: service.registration.tags,
    Type: probe.type,
    Interval: probe.type === 'ttl' ? '' : formatDuration(probe.intervalMs),
    Timeout: probe.type === 'ttl' ? '' : formatDuration(probe.timeoutMs),
    ExposedPort: 0,
    Definition: {},
    CreateIndex: check.createIndex,
    ModifyIndex: check.modifyIndex,
  };
}

/** The node-level check every node has; a dev agent's own is always passing. */
export function serfHealthJson(node: Node): Json {
  return {
    Node: node.name,
    CheckID: 'serfHealth',
    Name: 'Serf Health Status',
    Status: 'passing',
    Notes: '',
    Output: 'Agent alive and reachable',
    ServiceID: '',
    ServiceName: '',
    ServiceTags: [],
    Type: '',
    Interval: '',
    Timeout: '',
    ExposedPort: 0,
    Definition: {},
    CreateIndex: 1,
    ModifyIndex: 1,
  };
}

/** An entry of `GET /v1/catalog/service/:name`. */
export function catalogServiceJson(service: ServiceEntry, node: Node): Json {
  const registration = service.registration;
  return {
    ID: node.id,
    Node: node.name,
    Address: node.address,
    Datacenter: node.datacenter,
    TaggedAddresses: nodeTaggedAddresses(node),
    NodeMeta: { 'consul-network-segment': '' },
    ServiceKind: registration.kind,
    ServiceID: registration.id,
    ServiceName: registration.name,
    ServiceTags: registration.tags,
    ServiceAddress: registration.address,
    ...(registration.taggedAddresses
      ? { ServiceTaggedAddresses: registration.taggedAddresses }
      : {}),
    ServiceWeights: registration.weights,
    ServiceMeta: registration.meta,
    ServicePort: registration.port,
    ServiceEnableTagOverride: registration.enableTagOverride,
    ServiceProxy: { MeshGateway: {}, Expose: {} },
    ServiceConnect: {},
    CreateIndex: service.createIndex,
    ModifyIndex: service.modifyIndex,
  };
}

/** An entry of `GET /v1/health/service/:name`: node, service, and every check that applies. */
export function healthServiceJson(instance: Instance, node: Node): Json {
  const registration = instance.service.registration;
  return {
    Node: {
      ID: node.id,
      Node: node.name,
      Address: node.address,
      Datacenter: node.datacenter,
      TaggedAddresses: nodeTaggedAddresses(node),
      Meta: { 'consul-network-segment': '' },
      CreateIndex: 1,
      ModifyIndex: 1,
    },
    Service: {
      ...(registration.kind ? { Kind: registration.kind } : {}),
      ID: registration.id,
      Service: registration.name,
      Tags: registration.tags,
      Address: registration.address,
      ...(registration.taggedAddresses ? { TaggedAddresses: registration.taggedAddresses } : {}),
      Meta: registration.meta,
      Port: registration.port,
      Weights: registration.weights,
      EnableTagOverride: registration.enableTagOverride,
      Proxy: { MeshGateway: {}, Expose: {} },
      Connect: {},
      CreateIndex: instance.service.createIndex,
      ModifyIndex: instance.service.modifyIndex,
    },
    Checks: [
      serfHealthJson(node),
      ...instance.checks.map((check) => checkJson(check, instance.service, node)),
    ],
  };
}

function nodeTaggedAddresses(node: Node): Json {
  return {
    lan: node.address,
    lan_ipv4: node.address,
    wan: node.address,
    wan_ipv4: node.address,
  };
}
