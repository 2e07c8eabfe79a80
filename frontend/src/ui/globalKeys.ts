import { onCleanup, onMount } from 'solid-js';

/** Keys that work anywhere on the page, except while typing in a field. */
export function onGlobalKeys(keys: { onSlash: () => void; onEscape: () => void }): void {
  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable]')) return;
    if (event.key === '/' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      keys.onSlash();
    } else if (event.key === 'Escape') keys.onEscape();
  };
  onMount(() => window.addEventListener('keydown', onKeyDown));
  onCleanup(() => window.removeEventListener('keydown', onKeyDown));
}
