// NaiveBayesModel (PMML 4.4 §NaiveBayesModel): per class, ln(prior count) plus, per non-missing
// input, ln P(input | class) — a Gaussian density for TargetValueStats, count / Σ counts for
// PairCounts — then softmax back to probabilities. Sums run in log scale, as JPMML's do.
import { ModelLoadError } from '../../api/model.ts';
import type { CompiledModel, DataType, Eval, FamilyContext, ModelFamily, Score, Slots } from '../family.ts';
import { dataTypeAttr, parseTyped, valueKey } from '../values.ts';
import { child, childrenNamed, numberAttr, requiredAttr, type XmlElement } from '../xml.ts';

/** Adds one input's log-likelihood per class into `acc` (nothing for a missing input). */
type Input = (s: Slots, acc: number[]) => void;

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** TargetValueCount children as a dense array aligned with `labels`. */
function counts(container: XmlElement, labels: readonly string[], where: string): number[] {
  const out = new Array<number>(labels.length).fill(NaN);
  for (const tvc of childrenNamed(container, 'TargetValueCount')) {
    const label = requiredAttr(tvc, 'value');
    const i = labels.indexOf(label);
    if (i < 0) throw new ModelLoadError(`<TargetValueCount value="${label}"> of ${where} is not a class of <BayesOutput>`);
    out[i] = numberAttr(tvc, 'count');
  }
  return out;
}

function gaussianInput(stats: XmlElement, get: Eval, labels: readonly string[], threshold: number, field: string): Input {
  const mean = new Array<number>(labels.length).fill(NaN), sd = new Array<number>(labels.length).fill(NaN);
  const present: number[] = [];
  for (const stat of childrenNamed(stats, 'TargetValueStat')) {
    const label = requiredAttr(stat, 'value');
    const i = labels.indexOf(label);
    if (i < 0) throw new ModelLoadError(`<TargetValueStat value="${label}"> of <BayesInput fieldName="${field}"> is not a class of <BayesOutput>`);
    const dist = stat.children.find((c) => c.name.endsWith('Distribution'));
    // "For Naive Bayes models, continuous distribution types are restricted to Gaussian and Poisson distributions"
    if (dist?.name !== 'GaussianDistribution') {
      throw new ModelLoadError(`<TargetValueStat value="${label}"> of <BayesInput fieldName="${field}">: ${dist === undefined ? 'no distribution' : `<${dist.name}> is not supported (supported: GaussianDistribution)`}`);
    }
    const variance = numberAttr(dist, 'variance');
    if (!(variance > 0)) throw new ModelLoadError(`<GaussianDistribution> of <BayesInput fieldName="${field}"> variance="${dist.attrs['variance']}" must be positive`);
    mean[i] = numberAttr(dist, 'mean');
    sd[i] = Math.sqrt(variance);
    present.push(i);
  }
  return (s, acc) => {
    const x = get(s) as number | null;
    if (x === null) return;
    for (const i of present) {
      const z = (x - mean[i]!) / sd[i]!;
      let p = Math.exp(-0.5 * z * z - (Math.log(sd[i]!) + LOG_SQRT_2PI));
      // The density is floored at the threshold, the probability of an unseen combination.
      if (p < threshold) p = threshold;
      acc[i]! += Math.log(p);
    }
  };
}

function pairCountsInput(input: XmlElement, get: Eval, dataType: DataType, labels: readonly string[], threshold: number, field: string): Input {
  const where = `<BayesInput fieldName="${field}">`;
  const byValue = new Map<string, number[]>();
  const sums = new Array<number>(labels.length).fill(0);
  for (const pc of childrenNamed(input, 'PairCounts')) {
    const v = parseTyped(requiredAttr(pc, 'value'), dataType, pc, 'value');
    const tvcs = child(pc, 'TargetValueCounts');
    if (tvcs === undefined) throw new ModelLoadError(`<PairCounts value="${String(v)}"> of ${where} lacks <TargetValueCounts>`);
    const c = counts(tvcs, labels, where);
    c.forEach((n, i) => { if (!Number.isNaN(n)) sums[i]! += n; });
    if (!byValue.has(valueKey(v))) byValue.set(valueKey(v), c);
  }
  // Per class and value: ln(count / Σ counts), or ln(threshold) for a zero count; NaN: no count given.
  const logs = new Map<string, number[]>();
  for (const [k, c] of byValue) {
    logs.set(k, c.map((n, i) => (Number.isNaN(n) ? NaN : Math.log(Math.abs(n) < Number.EPSILON / 2 ? threshold : n / sums[i]!))));
  }
  return (s, acc) => {
    const v = get(s);
    if (v === null) return;
    // A value without PairCounts contributes nothing, as in JPMML.
    const l = logs.get(valueKey(v));
    if (l === undefined) return;
    for (let i = 0; i < l.length; i++) if (!Number.isNaN(l[i]!)) acc[i]! += l[i]!;
  };
}

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  if (ctx.functionName !== 'classification') throw new ModelLoadError(`<NaiveBayesModel functionName="${ctx.functionName}"> is not supported (supported: classification)`);
  const threshold = numberAttr(model, 'threshold');
  const output = child(model, 'BayesOutput');
  if (output === undefined) throw new ModelLoadError('<NaiveBayesModel> lacks <BayesOutput>');
  const outputField = output.attrs['fieldName'];
  if (outputField !== undefined && ctx.target !== null && outputField !== ctx.target.name) {
    throw new ModelLoadError(`<BayesOutput fieldName="${outputField}"> is not the model's target field "${ctx.target.name}"`);
  }
  const priorsEl = child(output, 'TargetValueCounts');
  if (priorsEl === undefined) throw new ModelLoadError('<BayesOutput> lacks <TargetValueCounts>');
  const labels = childrenNamed(priorsEl, 'TargetValueCount').map((t) => requiredAttr(t, 'value'));
  if (labels.length === 0) throw new ModelLoadError('<BayesOutput> has no <TargetValueCount>');
  const priors = counts(priorsEl, labels, '<BayesOutput>').map((n) => Math.log(n));

  const inputsEl = child(model, 'BayesInputs');
  if (inputsEl === undefined) throw new ModelLoadError('<NaiveBayesModel> lacks <BayesInputs>');
  const inputs: Input[] = childrenNamed(inputsEl, 'BayesInput').map((input) => {
    const name = requiredAttr(input, 'fieldName');
    const field = ctx.field(name, input);
    const stats = child(input, 'TargetValueStats');
    if (stats !== undefined) return gaussianInput(stats, field.get, labels, threshold, name);
    const derived = child(input, 'DerivedField');
    if (derived === undefined) return pairCountsInput(input, field.get, field.dataType, labels, threshold, name);
    // "the DerivedField element ... can only use the Discretize transformation"
    if (derived.children[0]?.name !== 'Discretize') {
      throw new ModelLoadError(`<DerivedField> of <BayesInput fieldName="${name}">: only <Discretize> is allowed here, found <${derived.children[0]?.name ?? 'none'}>`);
    }
    return pairCountsInput(input, ctx.derivedField(derived), dataTypeAttr(derived), labels, threshold, name);
  });

  const n = labels.length;
  const score = (s: Slots): Score => {
    const acc = priors.slice();
    for (const input of inputs) input(s, acc);
    let max = -Infinity;
    for (let i = 0; i < n; i++) if (acc[i]! > max) max = acc[i]!;
    let sum = 0;
    for (let i = 0; i < n; i++) { acc[i] = Math.exp(acc[i]! - max); sum += acc[i]!; }
    let best = 0;
    for (let i = 0; i < n; i++) { acc[i] = acc[i]! / sum; if (acc[i]! > acc[best]!) best = i; }
    return { value: labels[best]!, probabilities: acc };
  };
  return { functionName: 'classification', labels, score };
}

export const naiveBayesFamily: ModelFamily = { element: 'NaiveBayesModel', compile };
