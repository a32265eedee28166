// Wine-like records drawn from a seeded PRNG: feature means, spreads, ranges and the main
// correlations of a red wine, and a quality 3..8 driven mostly by alcohol, volatile acidity
// and sulphates, plus noise. Made by us; nothing is copied from any data set.

export const FEATURES = [
  'fixed acidity', 'volatile acidity', 'citric acid', 'residual sugar', 'chlorides',
  'free sulfur dioxide', 'total sulfur dioxide', 'density', 'pH', 'sulphates', 'alcohol',
] as const;

export interface Wine {
  /** The 11 features, in FEATURES order. */
  readonly x: readonly number[];
  readonly quality: number;
}

/** mulberry32, seeded: the same records on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rnd: () => number): () => number {
  return () => {
    const u = Math.max(rnd(), 1e-12), v = rnd();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const dp = (v: number, places: number) => Number(v.toFixed(places));

export function makeWines(n: number, seed: number): Wine[] {
  const z = gaussian(prng(seed));
  const out: Wine[] = [];
  for (let i = 0; i < n; i++) {
    // Latent factors: acidity drives fixed acidity, citric acid, pH and density; body drives alcohol and density.
    const acid = z(), body = z(), sulfur = z();
    const fixed = clamp(8.3 + 1.7 * (0.8 * acid + 0.6 * z()), 4.6, 15.9);
    const volatile = clamp(0.53 + 0.18 * (-0.3 * acid + 0.95 * z()), 0.12, 1.58);
    const citric = clamp(0.27 + 0.19 * (0.7 * acid + 0.7 * z()), 0, 1);
    const sugar = clamp(2.5 * Math.exp(0.35 * z()), 0.9, 15.5);
    const chlorides = clamp(0.087 * Math.exp(0.3 * z()), 0.012, 0.611);
    const free = clamp(15.9 * Math.exp(0.55 * (0.8 * sulfur + 0.6 * z())), 1, 72);
    const total = clamp(46 * Math.exp(0.6 * (0.8 * sulfur + 0.6 * z())), 6, 289);
    const alcohol = clamp(10.4 + 1.07 * (0.8 * body + 0.6 * z()), 8.4, 14.9);
    const density = clamp(0.9967 + 0.0019 * (0.6 * acid - 0.5 * body + 0.6 * z()), 0.99, 1.004);
    const ph = clamp(3.31 + 0.15 * (-0.7 * acid + 0.7 * z()), 2.74, 4.01);
    const sulphates = clamp(0.66 * Math.exp(0.22 * z()), 0.33, 2);
    const score = 5.64
      + 0.42 * (alcohol - 10.4) / 1.07
      - 0.3 * (volatile - 0.53) / 0.18
      + 0.2 * (sulphates - 0.66) / 0.15
      + 0.08 * (citric - 0.27) / 0.19
      - 0.1 * (total - 46) / 33
      + 0.55 * z();
    out.push({
      x: [
        dp(fixed, 1), dp(volatile, 3), dp(citric, 2), dp(sugar, 1), dp(chlorides, 3), Math.round(free),
        Math.round(total), dp(density, 5), dp(ph, 2), dp(sulphates, 2), dp(alcohol, 1),
      ],
      quality: clamp(Math.round(score), 3, 8),
    });
  }
  return out;
}

/** Semicolon-separated, no header, 11 features then quality: the seed CSV's layout. */
export function toCsv(wines: readonly Wine[]): string {
  return wines.map((w) => [...w.x, w.quality].join(';')).join('\n') + '\n';
}
