// Readers of the summaries Kafka's own perf tools and bench/threads.ts print, turned into
// numbers (and figures) for the one table of `npm run bench`.
import type { Figure } from './table.ts';

export class PerfOutputError extends Error {
  override readonly name = 'PerfOutputError';
}

/** records/s from ProducerPerformance's last line ("N records sent, X records/sec (Y MB/sec), ..."). */
export function producerPerSecond(stdout: string): number {
  const summary = stdout.trim().split('\n').at(-1) ?? '';
  const m = /records sent, ([\d.]+) records\/sec/.exec(summary);
  if (!m) throw new PerfOutputError(`no summary in ProducerPerformance output: ${summary.slice(0, 300)}`);
  return Number(m[1]);
}

/** records/s from ConsumerPerformance's CSV line (start, end, MB, MB/s, count, count/s, ...), after its header. */
export function consumerPerSecond(stdout: string): number {
  const lines = stdout.trim().split('\n');
  const header = lines.findIndex((l) => l.includes('nMsg.sec'));
  const cells = (lines[header + 1] ?? lines.at(-1) ?? '').split(',').map((s) => s.trim());
  const column = header >= 0 ? lines[header]!.split(',').map((s) => s.trim()).indexOf('nMsg.sec') : 5;
  const rate = Number(cells[column]);
  if (!Number.isFinite(rate) || cells.length < 6) throw new PerfOutputError(`no rate in ConsumerPerformance output: ${stdout.slice(-300)}`);
  return rate;
}

/** One contender row of bench/threads.ts's JSON (`bench/results/threads-<date>.json`). */
interface ThreadsRow { readonly name: string; readonly threads: number; readonly perSecond: number; readonly cpuUsPerRecord: number; readonly loadBefore?: readonly number[]; readonly machineBusy?: number }

/**
 * Figures from bench/threads.ts's JSON: records/s of each of our thread counts against our one
 * thread (target ≥ 1.7× for two threads where the cores allow), and against the best Java run.
 */
export function threadsFigures(json: string, cpus: number, brokerLabel?: string): Figure[] {
  const report = JSON.parse(json) as { records: number; broker: string; rows: ThreadsRow[] };
  if (!Array.isArray(report.rows)) throw new PerfOutputError('threads JSON has no rows');
  const ours = report.rows.filter((r) => r.name.startsWith('modelstream'));
  const java = report.rows.filter((r) => r.name.startsWith('kafka-streams')).sort((a, b) => b.perSecond - a.perSecond)[0];
  const one = ours.find((r) => r.threads === 1);
  const group = `stream threads of one instance, ${brokerLabel ?? report.broker}`;
  const out: Figure[] = [];
  for (const r of ours) {
    const busy = r.machineBusy === undefined ? '' : `; machine ${Math.round(r.machineBusy * 100)}% busy`;
    const load = `${r.loadBefore ? `load ${r.loadBefore.map((l) => l.toFixed(2)).join(' ')} before` : ''}${busy}`;
    if (r.threads === 1 && java) out.push({ group, name: 'kv, 1 thread vs best Java', unit: 'rec/s', ours: r.perSecond, peer: { name: java.name, value: java.perSecond }, target: { ratioMin: 1 }, note: load });
    else if (r.threads === 1) out.push({ group, name: 'kv, 1 thread', unit: 'rec/s', ours: r.perSecond });
    else if (one) {
      const cores = r.threads >= cpus ? `; ${cpus} cores shared with the broker and the benchmark` : '';
      out.push({ group, name: `kv, ${r.threads} threads vs 1`, unit: 'rec/s', ours: r.perSecond, peer: { name: '1 thread', value: one.perSecond }, ...(r.threads === 2 ? { target: { ratioMin: 1.7 } } : {}), note: `${load}${cores}` });
    }
  }
  return out;
}
