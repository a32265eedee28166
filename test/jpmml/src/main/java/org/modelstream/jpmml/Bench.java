package org.modelstream.jpmml;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Per-record latency of single score calls (prepare, evaluate, decode), timed with
 * System.nanoTime after a warm-up (at least warmupMs and 50,000 calls) so the JIT has compiled
 * the hot paths: JPMML is measured at its steady state, as a long-running service sees it.
 */
final class Bench {

	private static final int WARMUP_MIN_CALLS = 50_000;

	private Bench() {}

	static void run(Scorer scorer, String model, List<Map<String, Object>> records, int passes, long warmupMs) {
		long warmupNanos = warmupMs * 1_000_000L;
		long sink = 0;
		long warmStart = System.nanoTime();
		int warmCalls = 0;
		while (System.nanoTime() - warmStart < warmupNanos || warmCalls < WARMUP_MIN_CALLS) {
			for (Map<String, Object> record : records) {
				sink += consume(scorer, record);
				warmCalls++;
			}
		}
		long warmedMs = (System.nanoTime() - warmStart) / 1_000_000;

		long[] samples = new long[records.size() * passes];
		int n = 0;
		for (int pass = 0; pass < passes; pass++) {
			for (Map<String, Object> record : records) {
				long t0 = System.nanoTime();
				sink += consume(scorer, record);
				samples[n++] = System.nanoTime() - t0;
			}
		}
		Arrays.sort(samples, 0, n);
		double total = 0;
		for (int i = 0; i < n; i++) total += samples[i];
		System.out.printf(java.util.Locale.ROOT,
			"{\"model\":\"%s\",\"records\":%d,\"samples\":%d,\"warmupCalls\":%d,\"warmupMs\":%d,"
				+ "\"medianUs\":%.3f,\"p99Us\":%.3f,\"meanUs\":%.3f,\"sink\":%d}%n",
			model.replace("\"", ""), records.size(), n, warmCalls, warmedMs,
			percentile(samples, n, 0.50) / 1e3, percentile(samples, n, 0.99) / 1e3, total / n / 1e3, sink & 1);
	}

	/** A number that depends on the result, so the JIT cannot drop the call. */
	private static int consume(Scorer scorer, Map<String, Object> record) {
		try {
			Scorer.Result result = scorer.score(record);
			return result.value() == null ? 0 : result.value().hashCode();
		} catch (RuntimeException e) {
			return 1;
		}
	}

	/** Nearest-rank percentile of the first n sorted samples. */
	private static double percentile(long[] sorted, int n, double p) {
		int rank = (int) Math.ceil(p * n);
		return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
	}
}
