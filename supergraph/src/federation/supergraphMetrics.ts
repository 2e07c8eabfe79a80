import type { SupergraphSource } from './SupergraphSource.ts';

const states = ['waiting', 'composed', 'stale'] as const;

/**
 * The supergraph's state for Prometheus (ops/prometheus/rules: SupergraphStale):
 * which state it is in (one series per state, 1 for the current one), when
 * the supergraph it serves was composed, which subgraphs it has, and how
 * many that should be in it are not. Its age alone says nothing: a
 * supergraph nothing changed in is old and current.
 */
export function supergraphMetrics(source: SupergraphSource): string {
  const { status, composedAt, subgraphs } = source.state;
  const served = new Set(subgraphs.map(({ name }) => name));
  const missing = source.expected().filter((name) => !served.has(name));
  const lines = [
    '# HELP filegraph_supergraph_state 1 for the state the gateway’s supergraph is in: waiting (none yet), composed (current), stale (the last good one serves, a newer one failed)',
    '# TYPE filegraph_supergraph_state gauge',
    ...states.map((state) => `filegraph_supergraph_state{state="${state}"} ${+(state === status)}`),
    '# HELP filegraph_supergraph_subgraphs_missing Subgraphs configured or registered in Consul that the served supergraph lacks',
    '# TYPE filegraph_supergraph_subgraphs_missing gauge',
    `filegraph_supergraph_subgraphs_missing ${missing.length}`,
    '# HELP filegraph_supergraph_subgraph 1 for each subgraph in the served supergraph',
    '# TYPE filegraph_supergraph_subgraph gauge',
    ...[...served].sort().map((name) => `filegraph_supergraph_subgraph{subgraph="${name}"} 1`),
  ];
  if (composedAt !== null) {
    lines.push(
      '# HELP filegraph_supergraph_composed_timestamp_seconds When the served supergraph was composed (Unix time)',
      '# TYPE filegraph_supergraph_composed_timestamp_seconds gauge',
      `filegraph_supergraph_composed_timestamp_seconds ${Date.parse(composedAt) / 1_000}`,
    );
  }
  return lines.join('\n');
}
