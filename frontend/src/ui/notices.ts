import { createSignal, onCleanup, type Accessor } from 'solid-js';

export type Tone = 'info' | 'success' | 'warning' | 'error';

export interface NoticeAction {
  readonly label: string;
  readonly run: () => void;
}

export interface Notice {
  readonly id: number;
  readonly tone: Tone;
  readonly message: string;
  /** What can be done about it right there, e.g. undo a delete. */
  readonly action?: NoticeAction;
}

export type Notify = (tone: Tone, message: string, action?: NoticeAction) => void;

/** Short messages about what just happened, each gone after a while. */
export interface Notices {
  /** Oldest first. */
  readonly list: Accessor<readonly Notice[]>;
  readonly notify: Notify;
  dismiss(id: number): void;
}

/** At most this many show at once: a new one pushes the oldest out. */
export const noticesShown = 3;

/** How long a notice stays: one with an action longer, so there is time to read it and decide. */
export function lifetimeOf(tone: Tone, hasAction: boolean): number {
  return tone === 'error' ? 12_000 : hasAction ? 10_000 : 6000;
}

export function createNotices(): Notices {
  const [list, setList] = createSignal<readonly Notice[]>([]);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let lastId = 0;
  onCleanup(() => timers.forEach((timer) => clearTimeout(timer)));

  const dismiss = (id: number) => setList((notices) => notices.filter((n) => n.id !== id));

  return {
    list,
    notify(tone, message, action) {
      const id = ++lastId;
      const notice: Notice = { id, tone, message, ...(action ? { action } : {}) };
      setList((notices) => [...notices.slice(-(noticesShown - 1)), notice]);
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          dismiss(id);
        },
        lifetimeOf(tone, action !== undefined),
      );
      timers.add(timer);
    },
    dismiss,
  };
}
