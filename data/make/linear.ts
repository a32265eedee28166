// Least squares and a log-link GLM (IRLS) on standardized features, with the coefficients
// mapped back to raw feature units so the PMML reads the records as they are.

/** Solves A x = b (A square) by Gaussian elimination with partial pivoting. */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * x[c]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

export interface Scaling { readonly mean: number[]; readonly sd: number[] }

export function scaling(xs: readonly (readonly number[])[]): Scaling {
  const p = xs[0]!.length, n = xs.length;
  const mean = Array.from({ length: p }, (_, j) => xs.reduce((s, x) => s + x[j]!, 0) / n);
  const sd = mean.map((m, j) => Math.sqrt(xs.reduce((s, x) => s + (x[j]! - m) ** 2, 0) / n) || 1);
  return { mean, sd };
}

/** Weighted least squares on [1, standardized x]; a tiny ridge keeps it well-posed. */
function wls(z: readonly (readonly number[])[], y: readonly number[], w: readonly number[]): number[] {
  const p = z[0]!.length + 1;
  const ata = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const aty = new Array<number>(p).fill(0);
  z.forEach((row, i) => {
    const a = [1, ...row];
    for (let r = 0; r < p; r++) {
      aty[r]! += w[i]! * a[r]! * y[i]!;
      for (let c = 0; c < p; c++) ata[r]![c]! += w[i]! * a[r]! * a[c]!;
    }
  });
  for (let r = 1; r < p; r++) ata[r]![r]! += 1e-8;
  return solve(ata, aty);
}

/** Coefficients on standardized features → intercept and slopes on raw features. */
function unscale(beta: readonly number[], s: Scaling): { intercept: number; slopes: number[] } {
  const slopes = s.sd.map((sd, j) => beta[j + 1]! / sd);
  const intercept = beta[0]! - slopes.reduce((acc, b, j) => acc + b * s.mean[j]!, 0);
  return { intercept, slopes };
}

const standardize = (xs: readonly (readonly number[])[], s: Scaling) =>
  xs.map((x) => x.map((v, j) => (v - s.mean[j]!) / s.sd[j]!));

export function fitOls(xs: readonly (readonly number[])[], y: readonly number[]): { intercept: number; slopes: number[] } {
  const s = scaling(xs);
  return unscale(wls(standardize(xs, s), y, y.map(() => 1)), s);
}

/**
 * Gamma GLM with a log link by iteratively reweighted least squares: with the canonical
 * weights for gamma/log all equal to 1, each step regresses z = eta + (y - mu) / mu.
 */
export function fitGammaLog(xs: readonly (readonly number[])[], y: readonly number[], iterations = 25): { intercept: number; slopes: number[] } {
  const s = scaling(xs);
  const z = standardize(xs, s);
  const meanY = y.reduce((a, b) => a + b, 0) / y.length;
  let beta = [Math.log(meanY), ...new Array<number>(z[0]!.length).fill(0)];
  for (let it = 0; it < iterations; it++) {
    const work = z.map((row, i) => {
      const eta = row.reduce((acc, v, j) => acc + v * beta[j + 1]!, beta[0]!);
      const mu = Math.exp(eta);
      return eta + (y[i]! - mu) / mu;
    });
    beta = wls(z, work, y.map(() => 1));
  }
  return unscale(beta, s);
}
