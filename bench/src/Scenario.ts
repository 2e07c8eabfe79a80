import type { BenchContext } from './BenchContext.ts';
import type { Row } from './Row.ts';

export interface ScenarioResult {
  readonly rows: Row[];
  /** Anything else worth keeping in the JSON (set-up times, loaded latencies …). */
  readonly details?: Record<string, unknown>;
  /** One-line findings printed under the table. */
  readonly notes?: string[];
}

export interface Scenario {
  /** What to pass on the command line to run only this one. */
  readonly name: string;
  readonly about: string;
  /** Needs the machine to itself: the shared stack is stopped before it runs. */
  readonly alone?: boolean;
  run(bench: BenchContext): Promise<ScenarioResult>;
}
