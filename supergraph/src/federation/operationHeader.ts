/**
 * The header that tells the router a subgraph request is a query or a
 * mutation: HAProxy replays only queries on another replica
 * (haproxy/haproxy.cfg). The gateway always sets it, whatever a client sent.
 */
export const operationHeader = 'x-filegraph-operation';
