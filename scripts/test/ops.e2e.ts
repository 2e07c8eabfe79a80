import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@filegraph/testing/eventually';
import { inbox } from '@filegraph/testing/mailpit';
import type { OpsServices } from '../stack/opsServices.ts';
import type { Stack } from '../stack/startStack.ts';
import type { Supervised } from '../stack/Supervised.ts';
import { keepQuerying } from './keepQuerying.ts';
import { startOpsStack, type OpsStack } from './opsStack.ts';

/**
 * Monitoring and alert emails on the native stack with `--ops`: Prometheus finds the replicas
 * in Consul and scrapes them over the internal TLS, its rules as they are in
 * ops/prometheus, Alertmanager emails through Mailpit, and an operator reads
 * the inbox. A replica is frozen with SIGSTOP (it no longer answers, and the
 * supervisor does not restart it: it has not exited), then let go.
 */

const recipient = 'oncall@filegraph.test';

interface Target {
  readonly labels: Record<string, string>;
  readonly discoveredLabels: Record<string, string>;
  readonly health: string;
}

describe('the native stack with its operations stack', () => {
  let stack: Stack;
  let ops: OpsServices;
  let admin: () => Record<string, string>;

  const targets = async (): Promise<Target[]> => {
    const response = await fetch(`${ops.urls.prometheus}/api/v1/targets?state=active`);
    return ((await response.json()) as { data: { activeTargets: Target[] } }).data.activeTargets;
  };

  /** The `instance` Prometheus (and so the email) names a replica by: its Consul id. */
  const instanceOf = async (replica: Supervised): Promise<string> => {
    const address = new URL(replica.url ?? '').host;
    return eventually(
      `Prometheus scraping ${replica.name} (${address})`,
      async () => {
        const target = (await targets()).find(
          (t) => t.labels.job === 'files' && t.discoveredLabels.__address__ === address,
        );
        return target?.health === 'up' ? target.labels.instance : undefined;
      },
      60_000,
      1_000,
    );
  };

  /** Waits for an email whose subject matches; returns when Mailpit received it. */
  const emailed = (subject: RegExp, timeoutMs: number) =>
    eventually(
      `an email ${String(subject)}`,
      async () => (await inbox(ops.urls.mailpit, recipient)).find((e) => subject.test(e.subject)),
      timeoutMs,
      1_000,
    );

  /** A counter of Alertmanager's own metrics, summed over its labels. */
  const alertmanagerCounter = async (name: string, labels: string): Promise<number> => {
    const text = await (await fetch(`${ops.urls.alertmanager}/metrics`)).text();
    let total = 0;
    for (const match of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm')))
      if (match[1]?.includes(labels)) total += Number(match[2]);
    return total;
  };

  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  let running: OpsStack | undefined;
  before(async () => {
    running = await startOpsStack('ops', { ALERT_EMAIL: recipient });
    ({ stack, ops, admin } = running);
  });
  after(async () => {
    for (const replica of stack?.files ?? []) replica.kill('SIGCONT');
    await running?.stop();
  });

  it('when the stack runs with ops, then Prometheus scrapes every service, HAProxy and MinIO', async (t) => {
    const expected = ['accounts', 'alertmanager', 'files', 'gateway', 'haproxy', 'health', 'minio'];
    const up = await eventually(
      'every target up',
      async () => {
        const all = await targets();
        const jobs = new Set(all.filter((x) => x.health === 'up').map((x) => x.labels.job));
        return expected.every((job) => jobs.has(job)) &&
          all.filter((x) => x.labels.job === 'files' && x.health === 'up').length === 2
          ? all
          : undefined;
      },
      60_000,
      1_000,
    );
    t.diagnostic(up.map((x) => `${x.labels.job} ${x.labels.instance} ${x.health}`).join('; '));
  });

  it(
    'when a files replica stops answering, then within 90 s an email names the files service and that instance, and a resolved one follows once it answers again',
    { timeout: 420_000 },
    async (t) => {
      const [replica] = stack.files;
      assert.ok(replica);
      const instance = await instanceOf(replica);
      const subject = (status: string) =>
        new RegExp(`^\\[${status}\\] InstanceDown: files instance ${escape(instance)}$`);
      const pid = replica.process.pid;
      const stopped = Date.now();
      replica.kill('SIGSTOP', { restart: false });
      let resumed: number;
      try {
        const firing = await emailed(subject('FIRING'), 90_000);
        t.diagnostic(
          `FIRING email ${(firing.received.getTime() - stopped) / 1000} s after SIGSTOP`,
        );
      } finally {
        replica.kill('SIGCONT');
        resumed = Date.now();
      }
      const resolved = await emailed(subject('RESOLVED'), 240_000);
      t.diagnostic(
        `RESOLVED email ${(resolved.received.getTime() - resumed) / 1000} s after SIGCONT`,
      );
      // Back for real, not dropped from Consul and so from Prometheus's targets,
      // and the same process: frozen and let go, never restarted.
      await instanceOf(replica);
      assert.equal(replica.process.pid, pid);
    },
  );

  it(
    'when the SMTP server is unreachable, then Alertmanager keeps retrying, filegraph keeps answering, and the email goes out once SMTP is back',
    { timeout: 420_000 },
    async (t) => {
      const [, replica] = stack.files;
      assert.ok(replica);
      const instance = await instanceOf(replica);
      await ops.mailpit.stop();
      const failedBefore = await alertmanagerCounter(
        'alertmanager_notification_requests_failed_total',
        'integration="email"',
      );
      const queries = keepQuerying(stack.url, 1, admin);
      replica.kill('SIGSTOP', { restart: false });
      try {
        // One failed attempt, then another: it retries rather than giving up.
        const failed = await eventually(
          'Alertmanager failing to send twice',
          async () => {
            const now = await alertmanagerCounter(
              'alertmanager_notification_requests_failed_total',
              'integration="email"',
            );
            return now - failedBefore >= 2 ? now - failedBefore : undefined;
          },
          150_000,
          1_000,
        );
        t.diagnostic(`${failed} failed attempts to send while SMTP was down`);
        const { failures, latencies } = await queries.stop();
        assert.deepEqual(failures, [], 'queries failed while SMTP was down');
        assert.ok(latencies.length > 0);
        t.diagnostic(
          `${latencies.length} queries answered meanwhile, slowest ${Math.round(Math.max(...latencies))} ms`,
        );
        await ops.mailpit.start();
        // FIRING, or RESOLVED when Consul has dropped the frozen replica meanwhile
        // (CONSUL_DEREGISTER_AFTER): either way the alert reaches the operator.
        const delivered = await emailed(
          new RegExp(`^\\[(FIRING|RESOLVED)\\] InstanceDown: files instance ${escape(instance)}$`),
          180_000,
        );
        t.diagnostic(`delivered once SMTP was back: ${delivered.subject}`);
      } finally {
        await queries.stop();
        replica.kill('SIGCONT');
      }
      await instanceOf(replica);
    },
  );

  it('when Prometheus is killed, then filegraph serves as before', async (t) => {
    const measure = async () => {
      const queries = keepQuerying(stack.url, 1, admin);
      await sleep(5_000);
      return queries.stop();
    };
    const before = await measure();
    ops.prometheus.kill('SIGKILL', { restart: false });
    await ops.prometheus.process.exited;
    const during = await measure();
    assert.deepEqual(before.failures, []);
    assert.deepEqual(during.failures, [], 'queries failed without Prometheus');
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
    t.diagnostic(
      `median query ${median(before.latencies).toFixed(1)} ms with Prometheus, ${median(during.latencies).toFixed(1)} ms without (${during.latencies.length} queries)`,
    );
    // Nothing waits on Prometheus: the same work, in the same time give or take the machine's noise.
    assert.ok(during.latencies.length > before.latencies.length / 2);
    await ops.prometheus.start();
    await instanceOf(stack.files[0] as Supervised);
  });
});
