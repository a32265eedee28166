// The standard normal CDF Φ, for the probit link. JPMML uses Apache Commons Math
// (0.5·erfc(-x/√2), 0 or 1 beyond 40σ); this uses W. J. Cody's rational Chebyshev
// approximations of erf/erfc ("Rational Chebyshev approximations for the error function",
// Math. Comp. 1969), accurate to about 1e-16 relative, so the two agree far below 1e-9.

const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131,
  881.95222124176909, 1712.04761263407058, 2051.07837782607147, 1230.33935479799725,
  2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019,
  3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const SQRPI = 0.56418958354775628695; // 1/√π
const THRESH = 0.46875;

const at = (xs: readonly number[], i: number): number => xs[i] as number;

/** erfc(x) for x ≥ 0 beyond THRESH (Cody's second and third intervals). */
function erfcTail(y: number): number {
  let result: number;
  if (y <= 4) {
    let xnum = at(C, 8) * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + at(C, i)) * y;
      xden = (xden + at(D, i)) * y;
    }
    result = (xnum + at(C, 7)) / (xden + at(D, 7));
  } else {
    if (y >= 26.6) return 0;
    const z = 1 / (y * y);
    let xnum = at(P, 5) * z;
    let xden = z;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + at(P, i)) * z;
      xden = (xden + at(Q, i)) * z;
    }
    result = (z * (xnum + at(P, 4))) / (xden + at(Q, 4));
    result = (SQRPI - result) / y;
  }
  // exp(-y²) split as exp(-ysq²)·exp(-del) keeps the tail's relative accuracy.
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del) * result;
}

/** erf(x) for |x| ≤ THRESH. */
function erfSmall(x: number): number {
  const ysq = x * x;
  let xnum = at(A, 4) * ysq;
  let xden = ysq;
  for (let i = 0; i < 3; i++) {
    xnum = (xnum + at(A, i)) * ysq;
    xden = (xden + at(B, i)) * ysq;
  }
  return (x * (xnum + at(A, 3))) / (xden + at(B, 3));
}

/** The complementary error function. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= THRESH) return 1 - erfSmall(x);
  const tail = erfcTail(y);
  return x < 0 ? 2 - tail : tail;
}

/** Φ(x), the standard normal cumulative distribution function. */
export function normalCdf(x: number): number {
  if (x < -40) return 0;
  if (x > 40) return 1;
  return 0.5 * erfc(-x * Math.SQRT1_2);
}
