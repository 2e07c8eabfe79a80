import type { JSX } from 'solid-js';

/** filegraph's mark: a card with three linked dots. */
export function BrandMark(props: { size?: number }): JSX.Element {
  return (
    <svg viewBox="0 0 32 32" width={props.size ?? 28} height={props.size ?? 28} aria-hidden="true">
      <rect x="3" y="6" width="26" height="20" rx="4" class="brand-back" />
      <circle cx="11" cy="16" r="3" class="brand-dot" />
      <circle cx="21" cy="11" r="2.4" class="brand-dot" />
      <circle cx="21" cy="21" r="2.4" class="brand-dot" />
      <path d="M13.6 14.8l5.2-2.6M13.6 17.2l5.2 2.6" class="brand-line" />
    </svg>
  );
}
