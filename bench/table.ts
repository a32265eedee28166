// The figures every benchmark reports and the one table `npm run bench` prints from them.
// A benchmark script prints its figures as its last stdout line, `FIGURES <json array>`, so
// run.ts can run each in its own process (own heap, own /proc numbers) and still collect them.

/** What a figure is held to; every bound given must hold. Ratios are ours / peer. */
export interface Target {
  readonly ratioMin?: number;
  readonly ratioMax?: number;
  /** Bound on our own value, in the figure's unit. */
  readonly max?: number;
  readonly min?: number;
}

export interface Figure {
  /** Figures of one group share a unit and one chart. */
  readonly group: string;
  readonly name: string;
  readonly unit: string;
  readonly ours: number;
  readonly peer?: { readonly name: string; readonly value: number };
  readonly target?: Target;
  readonly note?: string;
}

export type Verdict = 'met' | 'missed' | 'no target';

export interface Row extends Figure {
  readonly ratio?: number;
  readonly verdict: Verdict;
}

export const FIGURES_PREFIX = 'FIGURES ';
/** A benchmark that cannot run here (data absent, full run only) says why on a `SKIPPED` line. */
export const SKIPPED_PREFIX = 'SKIPPED ';

export function emitFigures(figures: readonly Figure[]): void {
  console.log(FIGURES_PREFIX + JSON.stringify(figures));
}

export function emitSkipped(reason: string): void {
  console.log(SKIPPED_PREFIX + reason);
  console.log(`${FIGURES_PREFIX}[]`);
}

/** Why a benchmark skipped itself, from its `SKIPPED` line, or undefined when it ran. */
export function parseSkipped(stdout: string): string | undefined {
  return stdout.split('\n').find((l) => l.startsWith(SKIPPED_PREFIX))?.slice(SKIPPED_PREFIX.length).trim();
}

/** The last `FIGURES` line of a benchmark's output, or undefined when it printed none. */
export function parseFigures(stdout: string): Figure[] | undefined {
  const line = stdout.split('\n').filter((l) => l.startsWith(FIGURES_PREFIX)).at(-1);
  return line === undefined ? undefined : (JSON.parse(line.slice(FIGURES_PREFIX.length)) as Figure[]);
}

export function evaluate(figure: Figure): Row {
  const ratio = figure.peer && figure.peer.value !== 0 ? figure.ours / figure.peer.value : undefined;
  const t = figure.target;
  if (!t || Object.keys(t).length === 0) return { ...figure, ...(ratio !== undefined ? { ratio } : {}), verdict: 'no target' };
  const checks: boolean[] = [];
  if (t.ratioMin !== undefined) checks.push(ratio !== undefined && ratio >= t.ratioMin);
  if (t.ratioMax !== undefined) checks.push(ratio !== undefined && ratio <= t.ratioMax);
  if (t.max !== undefined) checks.push(figure.ours < t.max);
  if (t.min !== undefined) checks.push(figure.ours >= t.min);
  return { ...figure, ...(ratio !== undefined ? { ratio } : {}), verdict: checks.every(Boolean) ? 'met' : 'missed' };
}

export function targetText(t: Target | undefined, unit: string): string {
  if (!t) return '';
  const parts: string[] = [];
  if (t.ratioMin !== undefined) parts.push(`≥ ${t.ratioMin}× peer`);
  if (t.ratioMax !== undefined) parts.push(`≤ ${t.ratioMax}× peer`);
  if (t.max !== undefined) parts.push(`< ${t.max} ${unit}`);
  if (t.min !== undefined) parts.push(`≥ ${t.min} ${unit}`);
  return parts.join(', ');
}

/** Three significant digits, no exponent: figures span µs to records/s. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

const MARK: { readonly [V in Verdict]: string } = { met: 'yes', missed: 'NO', 'no target': '' };

/** The table as Markdown (it reads as plain text in a terminal too). */
export function formatTable(rows: readonly Row[]): string {
  const head = ['group', 'figure', 'ours', 'peer', 'ratio', 'target', 'met?'];
  const body = rows.map((r) => [
    r.group, r.name, `${num(r.ours)} ${r.unit}`, r.peer ? `${num(r.peer.value)} (${r.peer.name})` : '',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : '', targetText(r.target, r.unit), MARK[r.verdict],
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

export function summary(rows: readonly Row[]): { met: number; missed: number; untargeted: number } {
  return {
    met: rows.filter((r) => r.verdict === 'met').length,
    missed: rows.filter((r) => r.verdict === 'missed').length,
    untargeted: rows.filter((r) => r.verdict === 'no target').length,
  };
}
