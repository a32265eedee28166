// Combining segment results (PMML 4.4 §MultipleModels), following JPMML's MiningModelUtil and
// ProbabilityAggregator: sums in segment order, then divide; ties go to the first label.
export interface SegmentOutcome {
  /** Probabilities aligned with the mining model's labels. */
  readonly p: readonly number[];
  readonly weight: number;
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

export function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2;
}

/** Mean of the given distributions, label by label. */
function averageOf(outcomes: readonly SegmentOutcome[], n: number): number[] {
  if (outcomes.length === 1) return [...outcomes[0]!.p];
  const out = new Array<number>(n).fill(0);
  for (const o of outcomes) for (let j = 0; j < n; j++) out[j]! += o.p[j]!;
  for (let j = 0; j < n; j++) out[j] = out[j]! / outcomes.length;
  return out;
}

/**
 * max: the label with the highest probability in any segment wins; the result is the average
 * distribution of the segments that gave it that probability.
 */
export function maxDistribution(outcomes: readonly SegmentOutcome[], n: number): number[] {
  const maxes = new Array<number>(n).fill(-Infinity);
  for (const o of outcomes) for (let j = 0; j < n; j++) if (o.p[j]! > maxes[j]!) maxes[j] = o.p[j]!;
  const w = argmax(maxes);
  return averageOf(outcomes.filter((o) => o.p[w] === maxes[w]), n);
}

/**
 * median: the label with the highest median probability wins; the result averages the segments
 * whose probability for it is closest to that median.
 */
export function medianDistribution(outcomes: readonly SegmentOutcome[], n: number): number[] {
  const medians = new Array<number>(n);
  for (let j = 0; j < n; j++) medians[j] = median(outcomes.map((o) => o.p[j]!));
  const w = argmax(medians);
  let min = Infinity;
  let chosen: SegmentOutcome[] = [];
  for (const o of outcomes) {
    const d = Math.abs(medians[w]! - o.p[w]!);
    if (d < min) { chosen = []; min = d; }
    if (d <= min) chosen.push(o);
  }
  return averageOf(chosen, n);
}
