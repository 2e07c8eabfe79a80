/** What a row's filegraph number must meet. */
export type Target =
  /** filegraph ÷ baseline at least this (throughputs). */
  | { readonly kind: 'min-ratio'; readonly value: number }
  /** filegraph at most this, in the row's unit. */
  | { readonly kind: 'max'; readonly value: number }
  /** filegraph − baseline at most this, in the row's unit. */
  | { readonly kind: 'max-added'; readonly value: number }
  /** filegraph within this of the baseline, either way, in the row's unit. */
  | { readonly kind: 'max-difference'; readonly value: number }
  /** Shown for context; nothing to meet. */
  | { readonly kind: 'none' };

export type Unit = 'MiB/s' | 'files/s' | 'req/s' | 'ms' | 'MiB';

/** One line of the table. */
export interface Row {
  readonly scenario: string;
  readonly name: string;
  readonly unit: Unit;
  /** What the baseline column measured. */
  readonly baselineIs: string;
  readonly baseline: number | undefined;
  readonly filegraph: number;
  readonly target: Target;
  /** Every measured run, for the JSON. */
  readonly samples?: {
    readonly baseline?: readonly number[];
    readonly filegraph: readonly number[];
  };
  readonly note?: string;
}

/** A scenario that could not be measured: shown as a failed row, with why. */
export interface Failure {
  readonly scenario: string;
  readonly error: string;
}

export interface Verdict {
  readonly ratio: number | undefined;
  /** undefined: no target. */
  readonly pass: boolean | undefined;
  /** The number compared with the target (ratio, value or added amount). */
  readonly compared: number | undefined;
}

export function verdict(row: Row): Verdict {
  const ratio =
    row.baseline !== undefined && row.baseline > 0 ? row.filegraph / row.baseline : undefined;
  const { target } = row;
  switch (target.kind) {
    case 'min-ratio':
      return { ratio, compared: ratio, pass: ratio !== undefined && ratio >= target.value };
    case 'max':
      return { ratio, compared: row.filegraph, pass: row.filegraph <= target.value };
    case 'max-added': {
      const added = row.baseline === undefined ? undefined : row.filegraph - row.baseline;
      return { ratio, compared: added, pass: added !== undefined && added <= target.value };
    }
    case 'max-difference': {
      const difference = row.baseline === undefined ? undefined : row.filegraph - row.baseline;
      return {
        ratio,
        compared: difference,
        pass: difference !== undefined && Math.abs(difference) <= target.value,
      };
    }
    case 'none':
      return { ratio, compared: undefined, pass: undefined };
  }
}
