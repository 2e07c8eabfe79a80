import { For, type JSX } from 'solid-js';
import { formatCount, formatSize } from '../ui/format.ts';
import type { UsageBar } from '../usage/usageBars.ts';

const width = 640;
const rowHeight = 30;
const labelWidth = 200;
const barStart = labelWidth + 8;
/** Room at the right of the longest bar for its figures. */
const barMax = width - barStart - 150;

/** A label that fits its column: long types and emails are cut, whole in the bar's tooltip. */
function short(label: string): string {
  return label.length > 28 ? `${label.slice(0, 27)}…` : label;
}

/**
 * Horizontal bars in plain SVG, one per group, the longest the largest:
 * its label, its bar and its size with its part of the whole. Each bar
 * says all of it in its tooltip and to screen readers.
 */
export function UsageChart(props: {
  title: string;
  bars: UsageBar[];
  testId: string;
}): JSX.Element {
  const largest = () => Math.max(...props.bars.map((bar) => bar.share), 0);
  const length = (bar: UsageBar) =>
    largest() > 0 ? Math.max(2, Math.round((bar.share / largest()) * barMax)) : 0;
  const said = (bar: UsageBar) =>
    `${bar.label}: ${formatSize(bar.bytes)} in ${formatCount(bar.files)} files, ${Math.round(bar.share * 100)}%`;
  return (
    <figure class="usage-chart card">
      <figcaption>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${props.bars.length * rowHeight}`}
        role="list"
        aria-label={props.title}
        class="usage-svg"
      >
        <For each={props.bars}>
          {(bar, index) => (
            <g
              role="listitem"
              aria-label={said(bar)}
              data-testid={props.testId}
              transform={`translate(0 ${index() * rowHeight})`}
              classList={{ 'usage-other': bar.other }}
            >
              <title>{said(bar)}</title>
              <text x={labelWidth} y={rowHeight / 2} class="usage-label" text-anchor="end">
                {short(bar.label)}
              </text>
              <rect
                x={barStart}
                y={6}
                width={length(bar)}
                height={rowHeight - 12}
                rx={3}
                class="usage-bar"
              />
              <text x={barStart + length(bar) + 6} y={rowHeight / 2} class="usage-value">
                {`${formatSize(bar.bytes)} · ${Math.round(bar.share * 100)}%`}
              </text>
            </g>
          )}
        </For>
      </svg>
    </figure>
  );
}
