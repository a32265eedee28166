// CART classification trees (Gini impurity, binary splits on a threshold), optionally on a
// bootstrap sample with a random subset of features per split: enough for a tree and a forest.

export interface TreeNode {
  readonly counts: ReadonlyMap<string, number>;
  readonly score: string;
  readonly split?: { readonly feature: number; readonly threshold: number; readonly left: TreeNode; readonly right: TreeNode };
}

export interface TreeOptions {
  readonly maxDepth: number;
  readonly minLeaf: number;
  /** Features tried per split (all when absent); `rnd` chooses them. */
  readonly featuresPerSplit?: number;
  readonly rnd?: () => number;
}

function countLabels(labels: readonly string[], order: readonly string[]): Map<string, number> {
  const m = new Map<string, number>(order.map((l) => [l, 0]));
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

function gini(counts: ReadonlyMap<string, number>, n: number): number {
  let s = 1;
  for (const c of counts.values()) s -= (c / n) ** 2;
  return s;
}

function majority(counts: ReadonlyMap<string, number>): string {
  let best = '', max = -1;
  for (const [l, c] of counts) if (c > max) [best, max] = [l, c];
  return best;
}

export function growTree(xs: readonly (readonly number[])[], ys: readonly string[], classes: readonly string[], o: TreeOptions, depth = 0): TreeNode {
  const counts = countLabels(ys, classes);
  const node = { counts, score: majority(counts) };
  if (depth >= o.maxDepth || ys.length < 2 * o.minLeaf || gini(counts, ys.length) === 0) return node;
  const p = xs[0]!.length;
  let features = Array.from({ length: p }, (_, j) => j);
  if (o.featuresPerSplit && o.rnd) {
    const rnd = o.rnd;
    features = features.map((j) => [rnd(), j] as const).sort((a, b) => a[0] - b[0]).slice(0, o.featuresPerSplit).map(([, j]) => j).sort((a, b) => a - b);
  }
  let best: { feature: number; threshold: number; impurity: number } | undefined;
  for (const f of features) {
    const order = ys.map((_, i) => i).sort((a, b) => xs[a]![f]! - xs[b]![f]!);
    const left = countLabels([], classes), right = countLabels(ys, classes);
    for (let k = 0; k < order.length - 1; k++) {
      const i = order[k]!, label = ys[i]!;
      left.set(label, left.get(label)! + 1);
      right.set(label, right.get(label)! - 1);
      const v = xs[i]![f]!, next = xs[order[k + 1]!]![f]!;
      if (v === next || k + 1 < o.minLeaf || order.length - k - 1 < o.minLeaf) continue;
      const impurity = ((k + 1) * gini(left, k + 1) + (order.length - k - 1) * gini(right, order.length - k - 1)) / order.length;
      if (!best || impurity < best.impurity - 1e-12) best = { feature: f, threshold: Number(((v + next) / 2).toPrecision(6)), impurity };
    }
  }
  if (!best || best.impurity >= gini(counts, ys.length) - 1e-9) return node;
  const li: number[] = [], ri: number[] = [];
  xs.forEach((x, i) => (x[best.feature]! <= best.threshold ? li : ri).push(i));
  if (li.length === 0 || ri.length === 0) return node;
  const pick = (idx: number[]) => [idx.map((i) => xs[i]!), idx.map((i) => ys[i]!)] as const;
  const [lx, ly] = pick(li), [rx, ry] = pick(ri);
  return {
    ...node,
    split: {
      feature: best.feature,
      threshold: best.threshold,
      left: growTree(lx, ly, classes, o, depth + 1),
      right: growTree(rx, ry, classes, o, depth + 1),
    },
  };
}
