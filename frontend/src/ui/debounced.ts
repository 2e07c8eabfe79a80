import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** A signal that follows `source` once it has stopped changing for `ms`. */
export function createDebounced<T>(
  initial: T,
  ms: number,
): [Accessor<T>, (value: T) => void, (value: T) => void] {
  const [value, setValue] = createSignal(initial);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = (next: T) => {
    clearTimeout(timer);
    timer = setTimeout(() => setValue(() => next), ms);
  };
  const now = (next: T) => {
    clearTimeout(timer);
    setValue(() => next);
  };
  onCleanup(() => clearTimeout(timer));
  return [value, later, now];
}
