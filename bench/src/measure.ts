export interface Paired {
  readonly baseline: number[];
  readonly filegraph: number[];
}

/**
 * One warm-up round, then `runs` measured rounds. Baseline and filegraph
 * take turns within each round, so drift on a shared machine hits both alike.
 * Each side returns its measured value; `round` names the round (for unique names).
 */
export async function paired(
  runs: number,
  sides: {
    baseline: (round: string) => Promise<number>;
    filegraph: (round: string) => Promise<number>;
  },
  progress: (message: string) => void,
): Promise<Paired> {
  const result: Paired = { baseline: [], filegraph: [] };
  for (let round = 0; round <= runs; round += 1) {
    const label = round === 0 ? 'warm-up' : `run-${round}`;
    progress(round === 0 ? 'warm-up' : `run ${round}/${runs}`);
    const baseline = await sides.baseline(label);
    const filegraph = await sides.filegraph(label);
    if (round === 0) continue;
    result.baseline.push(baseline);
    result.filegraph.push(filegraph);
  }
  return result;
}

/**
 * For latencies: `warmups` untimed calls of each side, then `count` timed
 * ones, baseline and filegraph taking turns. Each side returns its time in ms.
 */
export async function pairedSamples(
  count: number,
  warmups: number,
  sides: { baseline: () => Promise<number>; filegraph: () => Promise<number> },
): Promise<Paired> {
  const result: Paired = { baseline: [], filegraph: [] };
  for (let i = 0; i < warmups + count; i += 1) {
    const baseline = await sides.baseline();
    const filegraph = await sides.filegraph();
    if (i < warmups) continue;
    result.baseline.push(baseline);
    result.filegraph.push(filegraph);
  }
  return result;
}
