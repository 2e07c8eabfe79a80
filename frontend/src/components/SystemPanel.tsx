import { For, Show, onMount, type JSX } from 'solid-js';
import type { SystemHealth } from '../health/systemHealth.ts';
import type { Check, HealthStatus } from '../graphql/types.ts';
import { formatDuration, formatSize } from '../ui/format.ts';
import { Icon } from './Icon.tsx';

const statusText: Record<HealthStatus, string> = {
  OK: 'All systems working',
  DEGRADED: 'Degraded: something is down, but every service still answers',
  DOWN: 'Down: a service or the storage does not answer',
};

export function StatusBadge(props: { status: HealthStatus }): JSX.Element {
  return <span class={`status-badge status-${props.status.toLowerCase()}`}>{props.status}</span>;
}

function CheckLine(props: { check: Check }): JSX.Element {
  return (
    <li class="check-line">
      <StatusBadge status={props.check.status} />
      <span class="check-name">{props.check.name}</span>
      <Show when={props.check.latencyMs !== null}>
        <span class="check-latency">{Math.round(props.check.latencyMs ?? 0)} ms</span>
      </Show>
      <Show when={props.check.url}>{(url) => <span class="check-url mono">{url()}</span>}</Show>
      <Show when={props.check.error}>{(error) => <span class="check-error">{error()}</span>}</Show>
    </li>
  );
}

/**
 * The system's state from the `health` query: every service and instance,
 * storage, and the host when the operator shows details (HEALTH_DETAILS).
 */
export function SystemPanel(props: { health: SystemHealth; onClose: () => void }): JSX.Element {
  let close!: HTMLButtonElement;
  onMount(() => close.focus());
  return (
    <aside
      class="side-panel system-panel"
      aria-label="System status"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose();
        }
      }}
    >
      <header class="panel-header">
        <h2 class="panel-title">System</h2>
        <button
          type="button"
          class="icon-button"
          aria-label="Check now"
          title="Check now"
          onClick={() => props.health.refresh()}
        >
          <Icon name="retry" />
        </button>
        <button
          ref={close}
          type="button"
          class="icon-button"
          aria-label="Close the system panel"
          title="Close (Esc)"
          onClick={() => props.onClose()}
        >
          <Icon name="close" />
        </button>
      </header>
      <div class="panel-body" aria-live="polite" aria-busy={props.health.loading()}>
        <Show when={props.health.problem()}>
          {(problem) => (
            <p class="notice error" role="alert">
              <Icon name="alert" size={18} /> {problem().message}
              <Show when={props.health.health()}> Showing the last answer.</Show>
            </p>
          )}
        </Show>
        <Show
          when={props.health.health()}
          fallback={
            <Show when={!props.health.problem()}>
              <p class="preview-note">Checking…</p>
            </Show>
          }
        >
          {(health) => (
            <>
              <div class={`overall-status status-${health().status.toLowerCase()}`}>
                <StatusBadge status={health().status} />
                <span>{statusText[health().status]}</span>
              </div>
              <p class="muted">
                Version {health().version} · up {formatDuration(health().uptimeSeconds) ?? '—'} ·
                checked {new Date(health().checkedAt).toLocaleTimeString()} · refreshes every 5 s
              </p>
              <h3>Services</h3>
              <ul class="service-list">
                <For each={health().services}>
                  {(service) => (
                    <li class="service">
                      <div class="service-line">
                        <StatusBadge status={service.status} />
                        <strong>{service.name}</strong>
                        <span class="muted">
                          {service.instances.length === 1
                            ? '1 instance'
                            : `${service.instances.length} instances`}
                        </span>
                      </div>
                      <ul class="check-list">
                        <For each={service.instances}>{(check) => <CheckLine check={check} />}</For>
                      </ul>
                    </li>
                  )}
                </For>
              </ul>
              <h3>Storage and dependencies</h3>
              <ul class="check-list">
                <For each={health().dependencies}>{(check) => <CheckLine check={check} />}</For>
              </ul>
              <Show
                when={health().host}
                fallback={
                  <p class="details-hidden">
                    Details are hidden: admins see them, and an operator shows them to everyone with{' '}
                    <code>HEALTH_DETAILS=1</code> on the gateway and the health service.
                  </p>
                }
              >
                {(host) => (
                  <>
                    <h3>Host</h3>
                    <dl class="details">
                      <dt>Name</dt>
                      <dd>
                        {host().hostname} ({host().platform}, {host().cpus} CPUs)
                      </dd>
                      <dt>Load</dt>
                      <dd>
                        {host()
                          .loadAverage.map((value) => value.toFixed(2))
                          .join(' · ')}
                      </dd>
                      <dt>Memory</dt>
                      <dd>
                        {formatSize(host().memory.totalBytes - host().memory.freeBytes)} used of{' '}
                        {formatSize(host().memory.totalBytes)}
                      </dd>
                      <Show when={health().process}>
                        {(memory) => (
                          <>
                            <dt>Health service</dt>
                            <dd>{formatSize(memory().rssBytes)} resident</dd>
                          </>
                        )}
                      </Show>
                    </dl>
                  </>
                )}
              </Show>
            </>
          )}
        </Show>
      </div>
    </aside>
  );
}
