// The KNNInputs of a NearestNeighborModel and their values on every training instance, as
// JPMML computes them: an input that is a MiningField reads its InstanceField column with the
// MiningField's treatments; a DerivedField is computed from the instance's fields (unless an
// InstanceField gives it). Per record: the distance or similarity to every instance, into one
// reused array; numeric absDiff inputs run over one flat Float64Array of the instances.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { Eval, FamilyContext, Slots, Value } from '../family.ts';
import { readMiningSchema } from '../mining-schema.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from '../xml.ts';
import { compileDistance, type InputMeasure } from './distance.ts';
import { compileSimilarity, flagOf, SIMILARITIES } from './similarity.ts';
import type { TrainingTable } from './training.ts';

export interface KnnInputs {
  /** A similarity measure (larger is nearer) rather than a distance. */
  readonly similarity: boolean;
  /**
   * Every instance's distance or similarity to the record (one array reused per record); with
   * `k`, an instance that cannot be among the k nearest may be left at Infinity.
   */
  readonly measure: (s: Slots, k?: number) => Float64Array;
  /** Completes the array of the record measured last: every instance's exact value (for a ranking of all). */
  readonly complete: () => Float64Array;
}

interface Input {
  readonly name: string;
  readonly get: Eval;
  readonly measure: InputMeasure;
  /** The input's value on each training instance. */
  readonly column: readonly Value[];
}

function trainingColumn(el: XmlElement, name: string, get: Eval, dataType: Parameters<TrainingTable['column']>[1], table: TrainingTable, mining: ReadonlySet<string>, ctx: FamilyContext): Value[] {
  if (!mining.has(name) && table.has(name)) return [...table.column(name, dataType, el)];
  if (mining.has(name) && !table.has(name)) throw new ModelLoadError(`<KNNInput field="${name}"> field "${name}" is not an <InstanceField> of <TrainingInstances>`);
  return Array.from({ length: table.rows }, (_, r) => {
    try {
      return ctx.evaluateOn(table.record(r), get);
    } catch (err) {
      // JPMML builds the instances on the first record and then fails every record.
      if (err instanceof RecordError) throw new ModelLoadError(`<TrainingInstances> row ${r + 1}, <KNNInput field="${name}">: ${err.message}`, { cause: err });
      throw err;
    }
  });
}

function readInputs(model: XmlElement, defaultCompare: InputMeasure['compare'], table: TrainingTable, ctx: FamilyContext): Input[] {
  const knn = child(model, 'KNNInputs');
  const els = knn === undefined ? [] : childrenNamed(knn, 'KNNInput');
  if (els.length === 0) throw new ModelLoadError('<NearestNeighborModel> lacks <KNNInputs> with a <KNNInput>');
  const mining = new Set(readMiningSchema(model).map((f) => f.name));
  return els.map((el) => {
    const name = requiredAttr(el, 'field');
    const field = ctx.field(name, el);
    // KNNInput has no similarityScale, so gaussSim cannot be computed.
    const compare = enumAttr(el, 'compareFunction', ['absDiff', 'delta', 'equal'], defaultCompare);
    return { name, get: field.get, measure: { compare, weight: numberAttr(el, 'fieldWeight', 1) }, column: trainingColumn(el, name, field.get, field.dataType, table, mining, ctx) };
  });
}

export function compileInputs(model: XmlElement, cm: XmlElement, table: TrainingTable, ctx: FamilyContext): KnnInputs {
  enumAttr(cm, 'kind', ['distance', 'similarity'], 'distance');
  const el = cm.children.find((c) => c.name !== 'Extension');
  if (el === undefined) throw new ModelLoadError('<ComparisonMeasure> lacks a measure element');
  const rows = table.rows;
  const out = new Float64Array(rows);
  // JPMML tells a similarity from a distance by the measure element, not by `kind`.
  const full = () => out;
  if ((SIMILARITIES as readonly string[]).includes(el.name)) return { similarity: true, measure: similarityMeasure(compileSimilarity(el), readInputs(model, 'absDiff', table, ctx), rows, out), complete: full };
  const distance = compileDistance(cm, el);
  const inputs = readInputs(model, distance.defaultCompare, table, ctx);
  const n = inputs.length;
  const gets = inputs.map((f) => f.get);
  const numeric = inputs.every((f) => f.measure.compare === 'absDiff' && f.column.every((v) => typeof v === 'number'));
  if (!numeric) {
    const measures = inputs.map((f) => f.measure);
    const instances = Array.from({ length: rows }, (_, r) => inputs.map((f) => f.column[r]!));
    const x = new Array<Value>(n);
    return {
      similarity: false,
      measure: (s) => {
        let present = 0;
        for (let i = 0; i < n; i++) { x[i] = gets[i]!(s); if (x[i] !== null) present++; }
        if (present === 0) throw new RecordError('every KNNInput is missing: no distance can be computed');
        for (let r = 0; r < rows; r++) out[r] = distance.distance(x, instances[r]!, measures, n / present);
        return out;
      },
      complete: full,
    };
  }
  const train = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) train[r * n + i] = inputs[i]!.column[r] as number;
  const weights = Float64Array.from(inputs, (f) => f.measure.weight);
  const xv = new Float64Array(n), present = new Int32Array(n);
  const pruned = distance.absDiffNearest;
  let m = 0, partial = false;
  return {
    similarity: false,
    measure: (s, k) => {
      m = 0;
      for (let i = 0; i < n; i++) {
        const v = gets[i]!(s);
        if (v === null) continue;
        if (typeof v !== 'number') throw new RecordError(`KNNInput "${inputs[i]!.name}" has the value ${JSON.stringify(v)}: absDiff needs a number`);
        xv[i] = v;
        present[m++] = i;
      }
      if (m === 0) throw new RecordError('every KNNInput is missing: no distance can be computed');
      partial = pruned !== undefined && k !== undefined;
      if (partial) pruned!(xv, present, m, train, weights, n / m, out, k!);
      else distance.absDiffAll(xv, present, m, train, weights, n / m, out);
      return out;
    },
    complete: () => {
      if (partial) { distance.absDiffAll(xv, present, m, train, weights, n / m, out); partial = false; }
      return out;
    },
  };
}

function similarityMeasure(similarity: ReturnType<typeof compileSimilarity>, inputs: readonly Input[], rows: number, out: Float64Array): KnnInputs['measure'] {
  const n = inputs.length;
  const flags = new Uint8Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      const f = inputs[i]!;
      try {
        flags[r * n + i] = flagOf(f.column[r]!, () => `KNNInput "${f.name}"`);
      } catch (err) {
        throw new ModelLoadError(`<TrainingInstances> row ${r + 1}: ${(err as Error).message}`, { cause: err });
      }
    }
  }
  const x = new Uint8Array(n);
  const gets = inputs.map((f) => f.get), names = inputs.map((f) => () => `KNNInput "${f.name}"`);
  return (s) => {
    for (let i = 0; i < n; i++) x[i] = flagOf(gets[i]!(s), names[i]!);
    for (let r = 0, base = 0; r < rows; r++, base += n) {
      let a11 = 0, a10 = 0, a01 = 0, a00 = 0;
      for (let i = 0; i < n; i++) {
        const a = x[i]!, b = flags[base + i]!;
        if (a === 1) { if (b === 1) a11++; else a10++; } else if (b === 1) a01++; else a00++;
      }
      out[r] = similarity(a11, a10, a01, a00);
    }
    return out;
  };
}
