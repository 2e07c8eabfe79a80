import type { Check, HealthReport, HealthStatus, SupergraphState } from './HealthReport.ts';

/** A check's reason when it gives none of its own: its status, in words. */
const fallback: Record<HealthStatus, string | null> = {
  OK: null,
  DEGRADED: 'degraded',
  DOWN: 'down',
};

/** The supergraph's error, when details are hidden: what its status means. */
const compositionReason: Record<SupergraphState['status'], string> = {
  waiting: 'not composed yet',
  stale: 'the latest composition failed; the last good one serves',
  composed: 'composed without some subgraphs',
};

const hide = (check: Check, name = check.name): Check => ({
  name,
  status: check.status,
  latencyMs: check.latencyMs,
  error: check.error === null ? null : (check.reason ?? fallback[check.status]),
  url: null,
});

/**
 * The report anyone who reaches the public port may read while there are no
 * accounts (issue 19): statuses, names and counts. Instances are named by
 * service and position (`files 1`, `files 2`, in the order of their ids),
 * not by their ids, which hold host names; URLs, the host, the process and
 * error texts (which carry addresses) are left out, each error replaced by a
 * few fixed words.
 */
export function withoutDetails(report: HealthReport): HealthReport {
  return {
    status: report.status,
    version: report.version,
    uptimeSeconds: report.uptimeSeconds,
    checkedAt: report.checkedAt,
    host: null,
    process: null,
    dependencies: report.dependencies.map((check) => hide(check)),
    services: report.services.map((service) => ({
      name: service.name,
      status: service.status,
      instances: [...service.instances]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((check, index) => hide(check, `${service.name} ${index + 1}`)),
    })),
    supergraph: report.supergraph && {
      status: report.supergraph.status,
      composedAt: report.supergraph.composedAt,
      subgraphs:
        report.supergraph.subgraphs?.map(({ name, instances, passing }) => ({
          name,
          url: null,
          instances,
          passing,
        })) ?? null,
      error: report.supergraph.error === null ? null : compositionReason[report.supergraph.status],
    },
  };
}
