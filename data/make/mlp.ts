// A one-hidden-layer perceptron (tanh hidden units, identity output) for regression on
// standardized inputs and target, trained full-batch with Adam from seeded weights.

export interface Mlp {
  /** hidden[h] = [bias, w_1..w_p] */
  readonly hidden: number[][];
  /** output = [bias, v_1..v_H] */
  readonly output: number[];
}

export function trainMlp(z: readonly (readonly number[])[], t: readonly number[], hiddenUnits: number, epochs: number, rnd: () => number): Mlp {
  const p = z[0]!.length, n = z.length;
  const init = (fanIn: number) => (rnd() * 2 - 1) / Math.sqrt(fanIn);
  const params = [
    ...Array.from({ length: hiddenUnits }, () => [0, ...Array.from({ length: p }, () => init(p))]),
    [0, ...Array.from({ length: hiddenUnits }, () => init(hiddenUnits))],
  ];
  const m = params.map((r) => r.map(() => 0)), v = params.map((r) => r.map(() => 0));
  const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-8];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const grad = params.map((r) => r.map(() => 0));
    const out = params[hiddenUnits]!;
    for (let i = 0; i < n; i++) {
      const x = z[i]!;
      const h = params.slice(0, hiddenUnits).map((w) => Math.tanh(x.reduce((s, xv, j) => s + xv * w[j + 1]!, w[0]!)));
      const y = h.reduce((s, hv, k) => s + hv * out[k + 1]!, out[0]!);
      const d = (2 * (y - t[i]!)) / n;
      grad[hiddenUnits]![0]! += d;
      h.forEach((hv, k) => {
        grad[hiddenUnits]![k + 1]! += d * hv;
        const dh = d * out[k + 1]! * (1 - hv * hv);
        grad[k]![0]! += dh;
        x.forEach((xv, j) => (grad[k]![j + 1]! += dh * xv));
      });
    }
    params.forEach((row, r) => row.forEach((_, c) => {
      const g = grad[r]![c]!;
      m[r]![c] = b1 * m[r]![c]! + (1 - b1) * g;
      v[r]![c] = b2 * v[r]![c]! + (1 - b2) * g * g;
      const mh = m[r]![c]! / (1 - b1 ** epoch), vh = v[r]![c]! / (1 - b2 ** epoch);
      row[c] = row[c]! - (lr * mh) / (Math.sqrt(vh) + eps);
    }));
  }
  return { hidden: params.slice(0, hiddenUnits), output: params[hiddenUnits]! };
}
