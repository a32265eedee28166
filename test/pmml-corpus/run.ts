// Scores corpus documents with ours and with JPMML (one JVM for all) and classifies each:
// equal on every row, differs, refused by ours at load, refused by JPMML, or crashed (a throw
// that is neither ModelLoadError at load nor RecordError per record). Shared by the CI test
// (test/pmml-corpus/corpus.test.ts) and the full run (bench/pmml-corpus.ts).
import { readFileSync } from 'node:fs';
import { loadPmml, ModelLoadError, RecordError, type FeatureRecord, type Model } from '../../lib/models/index.ts';
import { parsePmmlXml } from '../../lib/models/pmml/xml.ts';
import { compareOutcome, type OurOutcome } from '../jpmml/compare.ts';
import { jpmmlBench, jpmmlScoreMany, type JpmmlFileResult } from '../jpmml/jpmml.ts';

export interface CorpusCase {
  readonly id: string;
  readonly model: string;
  readonly input: string;
}

export type CaseStatus =
  | { readonly kind: 'equal' }
  | { readonly kind: 'differ'; readonly rows: number; readonly of: number; readonly first: string }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'jpmml-refused'; readonly message: string }
  | { readonly kind: 'crash'; readonly message: string };

export interface CaseResult {
  readonly id: string;
  /** The top model element, with functionName for MiningModel (a segmentation's kind matters). */
  readonly family: string;
  readonly status: CaseStatus;
  /** Per-record µs, when timed: ours and JPMML's (steady state), on the same records. */
  readonly oursUs?: number;
  readonly jpmmlUs?: number;
}

const NOT_MODELS = new Set(['Header', 'MiningBuildTask', 'DataDictionary', 'TransformationDictionary']);

export function familyOf(xml: string): string {
  try {
    const model = parsePmmlXml(xml).children.find((c) => !NOT_MODELS.has(c.name));
    if (model === undefined) return '(none)';
    return model.name === 'MiningModel' ? `MiningModel/${model.attrs['functionName'] ?? '?'}` : model.name;
  } catch {
    return '(not XML)';
  }
}

export function readJsonl(path: string): FeatureRecord[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as FeatureRecord);
}

function ours(model: Model, record: FeatureRecord): OurOutcome {
  try {
    const p = model.score(record);
    return { kind: 'scored', value: p.value, probabilities: p.probabilities, segments: p.segments, outputs: p.outputs, targets: p.targets };
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return err instanceof RecordError ? { kind: 'error', message } : { kind: 'crash', message };
  }
}

function message(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Our per-record µs, measured as the JPMML harness measures its own: a warm-up of at least
 * 300 ms and 50,000 calls (V8's optimizing tier, like the JIT's), then the median of single
 * calls over three passes. A mean after one warm-up pass counted cold code and GC pauses.
 */
function timeOurs(model: Model, records: readonly FeatureRecord[]): number {
  const one = (r: FeatureRecord) => { try { model.score(r); } catch { /* a failed record is timed as scored */ } };
  const warmStart = performance.now();
  for (let calls = 0; performance.now() - warmStart < 300 || calls < 50_000; calls += records.length) for (const r of records) one(r);
  const samples = new Float64Array(records.length * 3);
  let i = 0;
  for (let pass = 0; pass < 3; pass++) {
    for (const r of records) {
      const t0 = process.hrtime.bigint();
      one(r);
      samples[i++] = Number(process.hrtime.bigint() - t0);
    }
  }
  samples.sort();
  return samples[samples.length >> 1]! / 1e3;
}

function classify(c: CorpusCase, xml: string, theirs: JpmmlFileResult | undefined): { status: CaseStatus; model?: Model; records?: FeatureRecord[] } {
  if (theirs === undefined) return { status: { kind: 'crash', message: 'the harness printed nothing for this document' } };
  if (theirs.kind === 'loadError') return { status: { kind: 'jpmml-refused', message: theirs.message } };
  let model: Model;
  try {
    model = loadPmml(xml);
  } catch (err) {
    return { status: err instanceof ModelLoadError ? { kind: 'refused', message: err.message } : { kind: 'crash', message: `at load: ${message(err)}` } };
  }
  const records = readJsonl(c.input);
  const diffs: string[] = [];
  let crash: string | undefined;
  records.forEach((record, i) => {
    const o = ours(model, record);
    if (o.kind === 'crash') crash ??= `row ${i}: ${o.message}`;
    const d = compareOutcome(o, theirs.outcomes[i] ?? { kind: 'error', message: 'no JPMML outcome' });
    if (d) diffs.push(`row ${i} ${JSON.stringify(record)}: ${d}`);
  });
  if (crash !== undefined) return { status: { kind: 'crash', message: crash }, model, records };
  if (diffs.length > 0) return { status: { kind: 'differ', rows: diffs.length, of: records.length, first: diffs[0]! }, model, records };
  return { status: { kind: 'equal' }, model, records };
}

/** timing: time the equal documents, at most `timedPerFamily` of each family (each costs a JVM and a warm-up). */
export async function runCorpus(cases: readonly CorpusCase[], options: { timing?: boolean; timedPerFamily?: number } = {}): Promise<CaseResult[]> {
  const theirs = await jpmmlScoreMany(cases.map((c) => ({ model: c.model, input: c.input })));
  const out: CaseResult[] = [];
  const timed = new Map<string, number>();
  for (const c of cases) {
    const xml = readFileSync(c.model, 'utf8');
    const { status, model, records } = classify(c, xml, theirs.get(c.model));
    let timing: { oursUs?: number; jpmmlUs?: number } = {};
    const family = familyOf(xml);
    if (options.timing && status.kind === 'equal' && model && records && records.length > 0 && (timed.get(family) ?? 0) < (options.timedPerFamily ?? Infinity)) {
      timed.set(family, (timed.get(family) ?? 0) + 1);
      try {
        const jp = await jpmmlBench(c.model, c.input, { passes: 3, warmupMs: 300 });
        timing = { oursUs: timeOurs(model, records), jpmmlUs: jp.medianUs };
      } catch (err) {
        console.error(`${c.id}: not timed: ${message(err)}`);
      }
    }
    model?.close();
    out.push({ id: c.id, family, status, ...timing });
  }
  return out;
}

export interface FamilyRow {
  readonly family: string;
  readonly documents: number;
  readonly equal: number;
  readonly differ: number;
  readonly refused: number;
  readonly jpmmlRefused: number;
  readonly crash: number;
  /** Median of ours/JPMML per-record time over the family's timed documents. */
  readonly timeRatio?: number;
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

export function familyTable(results: readonly CaseResult[]): FamilyRow[] {
  const by = new Map<string, CaseResult[]>();
  for (const r of results) (by.get(r.family) ?? by.set(r.family, []).get(r.family)!).push(r);
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([family, rs]) => {
    const n = (k: CaseStatus['kind']) => rs.filter((r) => r.status.kind === k).length;
    const ratios = rs.flatMap((r) => (r.oursUs !== undefined && r.jpmmlUs ? [r.oursUs / r.jpmmlUs] : []));
    const timeRatio = median(ratios);
    return {
      family, documents: rs.length, equal: n('equal'), differ: n('differ'), refused: n('refused'),
      jpmmlRefused: n('jpmml-refused'), crash: n('crash'), ...(timeRatio !== undefined ? { timeRatio } : {}),
    };
  });
}

/** Documents JPMML evaluates, and the share of them equal on every row. */
export function equalShare(results: readonly CaseResult[]): { evaluable: number; equal: number; percent: number } {
  const evaluable = results.filter((r) => r.status.kind !== 'jpmml-refused').length;
  const equal = results.filter((r) => r.status.kind === 'equal').length;
  return { evaluable, equal, percent: evaluable === 0 ? 100 : (100 * equal) / evaluable };
}

export function formatTable(rows: readonly FamilyRow[]): string {
  const lines = ['| family | documents | equal | differ | refused | JPMML refuses | crash | time ours/JPMML |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  const t = { documents: 0, equal: 0, differ: 0, refused: 0, jpmmlRefused: 0, crash: 0 };
  for (const r of rows) {
    lines.push(`| ${r.family} | ${r.documents} | ${r.equal} | ${r.differ} | ${r.refused} | ${r.jpmmlRefused} | ${r.crash} | ${r.timeRatio === undefined ? '–' : `${r.timeRatio.toFixed(2)}×`} |`);
    for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += r[k];
  }
  lines.push(`| all | ${t.documents} | ${t.equal} | ${t.differ} | ${t.refused} | ${t.jpmmlRefused} | ${t.crash} | |`);
  return lines.join('\n');
}
