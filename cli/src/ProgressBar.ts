import { formatSize } from './format.ts';

export interface ProgressState {
  readonly label: string;
  readonly bytes: number;
  readonly totalBytes: number;
  readonly files?: { readonly done: number; readonly total: number };
}

/**
 * One line redrawn in place on a terminal: what is going on, a bar, bytes
 * and files done, speed. At most ten redraws a second; `clear` before
 * anything else is written to the terminal, and the bar comes back on the
 * next update.
 */
export class ProgressBar {
  readonly #write: (text: string) => void;
  readonly #columns: () => number;
  readonly #now: () => number;
  readonly #started: number;
  #shown = false;
  #drawnAt = -Infinity;
  #last: ProgressState | undefined;

  constructor(
    write: (text: string) => void,
    columns: () => number,
    now: () => number = () => performance.now(),
  ) {
    this.#write = write;
    this.#columns = columns;
    this.#now = now;
    this.#started = now();
  }

  update(state: ProgressState, force = false): void {
    this.#last = state;
    const now = this.#now();
    if (!force && this.#shown && now - this.#drawnAt < 100) return;
    this.#drawnAt = now;
    this.#shown = true;
    this.#write(`\r${renderBar(state, this.#columns(), (now - this.#started) / 1000)}\x1b[K`);
  }

  /** Takes the line away (before other output, or at the end). */
  clear(): void {
    if (!this.#shown) return;
    this.#shown = false;
    this.#write('\r\x1b[K');
  }

  /** Draws the last state again, after other output. */
  redraw(): void {
    if (this.#last) this.update(this.#last, true);
  }
}

/** The bar's text for a terminal `columns` wide, `seconds` after the start. */
export function renderBar(state: ProgressState, columns: number, seconds: number): string {
  const fraction = state.totalBytes > 0 ? Math.min(1, state.bytes / state.totalBytes) : 1;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const files = state.files ? `  ${state.files.done}/${state.files.total} files` : '';
  const speed = seconds >= 0.5 ? `  ${formatSize(Math.round(state.bytes / seconds))}/s` : '';
  const figures = `${percent}  ${formatSize(state.bytes)}/${formatSize(state.totalBytes)}${files}${speed}`;
  // The bar keeps its width while the figures change theirs (up to ~48 characters).
  const width = Math.min(30, columns - state.label.length - 54);
  if (width < 8) return `${state.label} ${figures}`.slice(0, Math.max(0, columns - 1));
  const filled = Math.round(fraction * width);
  return `${state.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${figures}`;
}
