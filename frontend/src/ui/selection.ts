import { createEffect, createSignal, on, type Accessor } from 'solid-js';

/** A click on a row of a list where Shift selects a range. */
export interface RowClick {
  readonly index: number;
  /** Shift was held: every row from the last one clicked to this one follows it. */
  readonly range: boolean;
  /** The id in the row at `index`; undefined for rows that hold none (folders, not loaded). */
  readonly idAt: (index: number) => string | undefined;
}

/** Which items of a list are selected, by id. */
export interface Selection {
  readonly ids: Accessor<ReadonlySet<string>>;
  has(id: string): boolean;
  /**
   * Flips `id`. With a range click after an earlier click, every row between the two
   * takes the state `id` is getting.
   */
  toggle(id: string, click?: RowClick): void;
  /** Selects exactly `ids`. */
  set(ids: Iterable<string>): void;
  clear(): void;
  /** Lets go of ids whose items are gone (deleted, restored). */
  forget(ids: Iterable<string>): void;
  /** The selected ones of `items`, in their order. */
  pick<T extends { readonly id: string }>(items: readonly T[]): T[];
}

/**
 * A selection that belongs to what was listed when it was made: it starts over
 * whenever `belongsTo` changes (another folder, search or order).
 */
export function createSelection(belongsTo?: Accessor<unknown>): Selection {
  const [ids, setIds] = createSignal<ReadonlySet<string>>(new Set());
  /** The row clicked last, where a range starts. */
  let anchor: number | undefined;

  if (belongsTo) {
    createEffect(
      on(
        belongsTo,
        () => {
          setIds(new Set<string>());
          anchor = undefined;
        },
        { defer: true },
      ),
    );
  }

  return {
    ids,
    has: (id) => ids().has(id),
    toggle(id, click) {
      const next = new Set(ids());
      if (click?.range && anchor !== undefined) {
        const select = !next.has(id);
        const [from, to] = anchor < click.index ? [anchor, click.index] : [click.index, anchor];
        for (let index = from; index <= to; index += 1) {
          const at = click.idAt(index);
          if (at === undefined) continue;
          if (select) next.add(at);
          else next.delete(at);
        }
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      if (click) anchor = click.index;
      setIds(next);
    },
    set: (chosen) => setIds(new Set(chosen)),
    clear: () => setIds(new Set<string>()),
    forget(gone) {
      const left = new Set(ids());
      for (const id of gone) left.delete(id);
      if (left.size !== ids().size) setIds(left);
    },
    pick(items) {
      const chosen = ids();
      return chosen.size === 0 ? [] : items.filter((item) => chosen.has(item.id));
    },
  };
}
