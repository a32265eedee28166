// Per-record scoring latency as a log-bucket histogram, small enough to live in the task
// statistics (JSON in a changelogged store, rewritten each batch): four buckets per doubling from
// 0.1 µs, sparse, as { bucket: count }. A batch's records share one time (the batch time over its
// size), so a batch adds to one bucket and a task's histogram holds a few dozen entries at most.
// Histograms merge by adding counts, across tasks, threads and instances.
//
// Not hdr-histogram-js: its compact form is a compressed base64 blob that must be decoded to be
// merged or read, and its precision (3 digits) is more than a dashboard needs; this is ±9%.

/** Sparse bucket counts: bucket index (as a string key) → records. */
export type LatencyHistogram = { readonly [bucket: string]: number };

/** Buckets per doubling of the latency. */
const PER_DOUBLING = 4;
/** The lower edge of bucket 0, ms (0.1 µs); faster records count in bucket 0. */
const FLOOR_MS = 1e-4;
/** 40 doublings past the floor: anything slower than ~30 hours lands in the last bucket. */
const LAST_BUCKET = PER_DOUBLING * 40;

export function bucketOf(ms: number): number {
  if (!(ms > FLOOR_MS)) return 0;
  return Math.min(LAST_BUCKET, Math.floor(Math.log2(ms / FLOOR_MS) * PER_DOUBLING));
}

/** The geometric middle of a bucket, ms: what a percentile in that bucket reads as. */
export function bucketValue(bucket: number): number {
  return FLOOR_MS * 2 ** ((bucket + 0.5) / PER_DOUBLING);
}

/** `records` more records of `msEach` ms each. */
export function addLatency(h: LatencyHistogram | undefined, records: number, msEach: number): LatencyHistogram {
  const b = String(bucketOf(msEach));
  return { ...h, [b]: (h?.[b] ?? 0) + records };
}

export function mergeLatency(a: LatencyHistogram | undefined, b: LatencyHistogram | undefined): LatencyHistogram | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: { [bucket: string]: number } = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** The q-quantile (0 < q ≤ 1) in ms, within [min, max] when they are given; null for an empty histogram. */
export function quantile(h: LatencyHistogram | undefined, q: number, bounds?: { readonly min: number; readonly max: number }): number | null {
  if (!h) return null;
  const buckets = Object.entries(h).map(([k, n]) => [Number(k), n] as const).sort((x, y) => x[0] - y[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= rank) {
      const v = bucketValue(bucket);
      return bounds && bounds.max > 0 ? Math.min(bounds.max, Math.max(bounds.min, v)) : v;
    }
  }
  return null;
}

/** p50 and p99 of a histogram, as the views show them. */
export function percentiles(h: LatencyHistogram | undefined, bounds?: { readonly min: number; readonly max: number }): { readonly p50: number | null; readonly p99: number | null } {
  return { p50: quantile(h, 0.5, bounds), p99: quantile(h, 0.99, bounds) };
}
