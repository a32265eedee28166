// SupportVectorMachineModel (PMML 4.4 §SupportVectorMachineModel): each SupportVectorMachine
// computes f(x) = Σ αᵢ·K(x, svᵢ) + b. Regression has one machine. Classification is
// OneAgainstAll (the machine of smallest f wins) or OneAgainstOne (each machine votes for its
// targetCategory when f < threshold, else its alternateTargetCategory; votes / machines are the
// probabilities). svmRepresentation="Coefficients" is f(x) = Σ cᵢ·xᵢ + b over the VectorFields.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { CompiledModel, FamilyContext, ModelFamily, Score, Slots } from '../family.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from '../xml.ts';
import { compileKernel, sparse, type Kernel, type SparseInput, type SparseKernel } from './kernel.ts';
import { readVectorDictionary, type VectorDictionary } from './vectors.ts';

type Method = 'OneAgainstAll' | 'OneAgainstOne';
type Decision = (x: Float64Array) => number;

interface Machine {
  readonly f: Decision;
  readonly target: string | undefined;
  readonly alternate: string | undefined;
  readonly threshold: number;
}

function coefficientsOf(svm: XmlElement, where: string): { values: number[]; b: number } {
  const el = child(svm, 'Coefficients');
  if (el === undefined) throw new ModelLoadError(`${where} lacks <Coefficients>`);
  return { values: childrenNamed(el, 'Coefficient').map((c) => numberAttr(c, 'value', 0)), b: numberAttr(el, 'absoluteValue', 0) };
}

/**
 * K(x, v) per VectorInstance for the current record's vector, computed once: the machines of a
 * OneAgainstOne model share their support vectors, so each kernel value is needed many times.
 */
class KernelCache {
  #x: Float64Array | undefined;
  #input: SparseInput | undefined;
  readonly #nz: Int32Array;
  readonly #values: Float64Array;
  readonly #done: Uint8Array;
  readonly #vectors: readonly Float64Array[];
  /** |v|² per vector, for the sparse RBF distance. */
  readonly #norms: Float64Array;
  readonly #kernel: SparseKernel;
  readonly index: ReadonlyMap<string, number>;

  constructor(dict: VectorDictionary, kernel: SparseKernel) {
    this.#vectors = [...dict.vectors.values()];
    this.index = new Map([...dict.vectors.keys()].map((id, i) => [id, i]));
    this.#values = new Float64Array(this.#vectors.length);
    this.#done = new Uint8Array(this.#vectors.length);
    this.#norms = Float64Array.from(this.#vectors, (v) => v.reduce((s, a) => s + a * a, 0));
    this.#nz = new Int32Array(dict.size);
    this.#kernel = kernel;
  }

  /** K(x, vector j); `x` is a fresh array per record, so its identity marks a new record. */
  value(x: Float64Array, j: number): number {
    if (x !== this.#x) { this.#x = x; this.#input = sparse(x, this.#nz); this.#done.fill(0); }
    if (this.#done[j] === 0) { this.#values[j] = this.#kernel(this.#input!, this.#vectors[j]!, this.#norms[j]!); this.#done[j] = 1; }
    return this.#values[j]!;
  }
}

function decision(svm: XmlElement, where: string, representation: string, dict: VectorDictionary, kernel: { kernel: Kernel; linear: boolean }, cache: KernelCache): Decision {
  const { values, b } = coefficientsOf(svm, where);
  if (representation === 'Coefficients') {
    // "Coefficients": one coefficient per VectorField, for a linear kernel only.
    if (!kernel.linear) throw new ModelLoadError('<SupportVectorMachineModel svmRepresentation="Coefficients"> needs <LinearKernelType>');
    if (values.length !== dict.size) throw new ModelLoadError(`${where} has ${values.length} <Coefficient> for ${dict.size} VectorFields`);
    return (x) => { let s = 0; for (let i = 0; i < x.length; i++) s += values[i]! * x[i]!; return s + b; };
  }
  const svs = Int32Array.from(childrenNamed(child(svm, 'SupportVectors') ?? svm, 'SupportVector'), (sv) => {
    const id = requiredAttr(sv, 'vectorId');
    const j = cache.index.get(id);
    if (j === undefined) throw new ModelLoadError(`<SupportVector vectorId="${id}"> of ${where} is not a <VectorInstance>`);
    return j;
  });
  if (svs.length !== values.length) throw new ModelLoadError(`${where} has ${svs.length} <SupportVector> for ${values.length} <Coefficient>`);
  return (x) => { let s = 0; for (let i = 0; i < svs.length; i++) s += values[i]! * cache.value(x, svs[i]!); return s + b; };
}

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  enumAttr(model, 'mathContext', ['double'], 'double');
  // JPMML refuses maxWins="true" (the largest f winning OneAgainstAll), and so do we.
  enumAttr(model, 'maxWins', ['false'], 'false');
  const representation = enumAttr(model, 'svmRepresentation', ['SupportVectors', 'Coefficients'], 'SupportVectors');
  const dict = readVectorDictionary(model, ctx);
  const kernel = compileKernel(model);
  const svmEls = childrenNamed(model, 'SupportVectorMachine');
  if (svmEls.length === 0) throw new ModelLoadError('<SupportVectorMachineModel> has no <SupportVectorMachine>');
  const modelThreshold = numberAttr(model, 'threshold', 0);
  const cache = new KernelCache(dict, kernel.sparse);
  const machines: Machine[] = svmEls.map((el, i) => {
    const where = `<SupportVectorMachine> ${i + 1}`;
    return {
      f: decision(el, where, representation, dict, kernel, cache),
      target: el.attrs['targetCategory'], alternate: el.attrs['alternateTargetCategory'],
      threshold: numberAttr(el, 'threshold', modelThreshold),
    };
  });

  if (ctx.functionName === 'regression') {
    if (machines.length !== 1) throw new ModelLoadError(`<SupportVectorMachineModel functionName="regression"> has ${machines.length} <SupportVectorMachine>, needs exactly 1`);
    const f = machines[0]!.f;
    return { functionName: 'regression', labels: [], score: (s: Slots): Score => ({ value: f(dict.input(s)) }) };
  }

  // The PMML default, OneAgainstAll, also when the machines name alternate categories (JPMML 1.7.7 does not infer OneAgainstOne).
  const method = enumAttr(model, 'classificationMethod', ['OneAgainstAll', 'OneAgainstOne'], 'OneAgainstAll');
  const binaryAlternate = model.attrs['alternateBinaryTargetCategory'];
  machines.forEach((m, i) => {
    const where = `<SupportVectorMachine> ${i + 1}`;
    if (m.target === undefined) throw new ModelLoadError(`${where} lacks the required attribute targetCategory`);
    if (method === 'OneAgainstOne' && binaryAlternate !== undefined && m.alternate !== undefined) throw new ModelLoadError(`${where} alternateTargetCategory="${m.alternate}" is not allowed with alternateBinaryTargetCategory`);
    if (method === 'OneAgainstOne' && binaryAlternate === undefined && m.alternate === undefined) throw new ModelLoadError(`${where} lacks the required attribute alternateTargetCategory`);
  });

  if (method === 'OneAgainstAll') {
    // One decision value per targetCategory: a later machine of the same category replaces the
    // earlier one's value (JPMML keeps a map by category, in first-insertion order).
    const categories = [...new Set(machines.map((m) => m.target!))];
    const slotOf = machines.map((m) => categories.indexOf(m.target!));
    const score = (s: Slots): Score => {
      const x = dict.input(s);
      const values = new Array<number>(categories.length);
      for (let i = 0; i < machines.length; i++) values[slotOf[i]!] = machines[i]!.f(x);
      // The smallest decision value wins; the first category among equals.
      let best = 0;
      for (let i = 1; i < values.length; i++) if (values[i]! < values[best]!) best = i;
      return { value: categories[best]! };
    };
    // JPMML's OneAgainstAll result is a distance distribution, which has no probabilities.
    return { functionName: 'classification', labels: [], score, noProbabilities: true };
  }

  const labels: string[] = [...(ctx.target?.labels ?? [])];
  for (const m of machines) for (const c of [m.target!, m.alternate ?? binaryAlternate!]) if (!labels.includes(c)) labels.push(c);
  const votes: { readonly yes: number; readonly no: number; readonly m: Machine }[] = machines.map((m) => ({
    yes: labels.indexOf(m.target!), no: labels.indexOf(m.alternate ?? binaryAlternate!), m,
  }));
  const score = (s: Slots): Score => {
    const x = dict.input(s);
    const count = new Array<number>(labels.length).fill(0);
    // Labels in the order they first received a vote: JPMML's winner is the first of equal counts in that order.
    const order: number[] = [];
    for (const { yes, no, m } of votes) {
      const f = m.f(x);
      let label: number;
      if (binaryAlternate !== undefined) {
        // "A rounded value of 1 corresponds to the targetCategory ... of 0 to the alternateBinaryTargetCategory"
        const r = Math.round(f);
        if (r !== 0 && r !== 1) throw new RecordError(`<SupportVectorMachine> gave ${f}: a binary prediction must round to 0 or 1`);
        label = r === 1 ? yes : no;
      } else {
        // "If the numeric prediction is smaller than the threshold, it corresponds to the targetCategory"
        label = f < m.threshold ? yes : no;
      }
      if (count[label] === 0) order.push(label);
      count[label]!++;
    }
    let winner = order[0]!;
    for (const l of order) if (count[l]! > count[winner]!) winner = l;
    const probabilities = count.map((c) => c / votes.length);
    return { value: labels[winner]!, probabilities };
  };
  return { functionName: 'classification', labels, score };
}

export const supportVectorMachineFamily: ModelFamily = { element: 'SupportVectorMachineModel', compile };
