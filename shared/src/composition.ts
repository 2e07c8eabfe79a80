/**
 * How the gateway's supergraph stands: in the gateway's /health and /ready
 * (where the health subgraph reads it; only `status` unless HEALTH_DETAILS)
 * and in the `health` query.
 */
export interface CompositionState {
  /** waiting: none yet; composed: current; stale: the last good one serves, a newer one failed. */
  readonly status: 'waiting' | 'composed' | 'stale';
  readonly composedAt: string | null;
  readonly subgraphs: ReadonlyArray<{
    name: string;
    url: string;
    instances: number;
    passing: number;
  }>;
  /** Why the latest composition failed, or what it had to do without. */
  readonly error: string | null;
  /** Whether Consul answers, when the gateway follows it. */
  readonly consul: { readonly reachable: boolean; readonly error: string | null } | null;
}
