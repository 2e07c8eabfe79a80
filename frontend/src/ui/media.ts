import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** Whether a media query matches, following changes (rotation, resizing). */
export function createMedia(query: string): Accessor<boolean> {
  const media = window.matchMedia(query);
  const [matches, setMatches] = createSignal(media.matches);
  const listener = (event: MediaQueryListEvent) => setMatches(event.matches);
  media.addEventListener('change', listener);
  onCleanup(() => media.removeEventListener('change', listener));
  return matches;
}
