// ClusteringModel (PMML 4.4 §ClusteringModel, center-based): the record's distance to every
// Cluster center under the ComparisonMeasure; the nearest cluster wins. The result is the
// cluster's id (its `id`, else its 1-based position), its name and every cluster's distance.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { CompiledModel, Eval, FamilyContext, ModelFamily, RankedEntity, Score, Slots } from '../family.ts';
import { parseArrayTokens } from '../predicates.ts';
import { child, childrenNamed, enumAttr, numberAttr, parseNumber, requiredAttr, type XmlElement } from '../xml.ts';

const MEASURES = ['euclidean', 'squaredEuclidean', 'chebychev', 'cityBlock', 'minkowski'] as const;
const COMPARE = ['absDiff', 'gaussSim', 'delta', 'equal'] as const;
type Compare = (typeof COMPARE)[number];

interface Field {
  readonly get: Eval;
  readonly compare: Compare;
  readonly weight: number;
  readonly scale: number;
}

function numbers(array: XmlElement | undefined, where: string): number[] {
  if (array === undefined) throw new ModelLoadError(`${where} lacks <Array>`);
  return parseArrayTokens(array.text).map((t) => {
    const n = parseNumber(t);
    if (n === null) throw new ModelLoadError(`${where} <Array> holds "${t}", not a number`);
    return n;
  });
}

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  if (ctx.functionName !== 'clustering') throw new ModelLoadError(`<ClusteringModel functionName="${ctx.functionName}"> is not supported (supported: clustering)`);
  enumAttr(model, 'modelClass', ['centerBased'], 'centerBased');
  requiredAttr(model, 'modelClass');
  // JPMML rejects Targets on a clustering model (there is no target to post-process).
  if (child(model, 'Targets') !== undefined) throw new ModelLoadError('<ClusteringModel> cannot have <Targets>');
  if (child(model, 'CenterFields') !== undefined) throw new ModelLoadError('<CenterFields> is not supported');
  const cm = child(model, 'ComparisonMeasure');
  if (cm === undefined) throw new ModelLoadError('<ClusteringModel> lacks <ComparisonMeasure>');
  const kind = enumAttr(cm, 'kind', ['distance'], 'distance');
  requiredAttr(cm, 'kind');
  const measureEl = cm.children[0];
  if (measureEl === undefined || !(MEASURES as readonly string[]).includes(measureEl.name)) {
    throw new ModelLoadError(`<ComparisonMeasure kind="${kind}">: measure <${measureEl?.name ?? 'none'}> is not supported (supported: ${MEASURES.join(', ')})`);
  }
  const measure = measureEl.name as (typeof MEASURES)[number];
  // "The ComparisonMeasure element is limited to attribute-less comparison functions" (gaussSim needs similarityScale).
  const defaultCompare = enumAttr(cm, 'compareFunction', ['absDiff', 'delta', 'equal'], 'absDiff');
  let p = measure === 'euclidean' || measure === 'squaredEuclidean' ? 2 : 1;
  if (measure === 'minkowski') {
    p = numberAttr(measureEl, 'p-parameter');
    if (p < 0) throw new ModelLoadError(`<minkowski> p-parameter="${p}" must not be negative`);
  }
  const outer = measure === 'squaredEuclidean' ? 1 : p;

  const fields: Field[] = childrenNamed(model, 'ClusteringField').map((cf) => {
    const name = requiredAttr(cf, 'field');
    if ((cf.attrs['isCenterField'] ?? 'true') !== 'true') throw new ModelLoadError(`<ClusteringField field="${name}"> isCenterField="${cf.attrs['isCenterField']}" is not supported`);
    const compare: Compare = enumAttr(cf, 'compareFunction', COMPARE, defaultCompare);
    const scale = cf.attrs['similarityScale'] === undefined ? NaN : numberAttr(cf, 'similarityScale');
    if (compare === 'gaussSim' && Number.isNaN(scale)) throw new ModelLoadError(`<ClusteringField field="${name}" compareFunction="gaussSim"> lacks the attribute similarityScale`);
    return { get: ctx.field(name, cf).get, compare, weight: numberAttr(cf, 'fieldWeight', 1), scale };
  });
  if (fields.length === 0) throw new ModelLoadError('<ClusteringModel> has no <ClusteringField>');
  const mvw = child(model, 'MissingValueWeights');
  const adjust = mvw === undefined ? fields.map(() => 1) : numbers(child(mvw, 'Array'), '<MissingValueWeights>');
  if (adjust.length !== fields.length) throw new ModelLoadError(`<MissingValueWeights> has ${adjust.length} weights for ${fields.length} ClusteringFields`);
  let adjustTotal = 0;
  for (const a of adjust) adjustTotal += a;

  const clusters = childrenNamed(model, 'Cluster').map((c, i) => {
    const id = c.attrs['id'] ?? String(i + 1);
    const center = numbers(child(c, 'Array'), `<Cluster id="${id}">`);
    if (center.length !== fields.length) throw new ModelLoadError(`<Cluster id="${id}"> has ${center.length} coordinates for ${fields.length} ClusteringFields`);
    return { id, name: c.attrs['name'], center };
  });
  if (clusters.length === 0) throw new ModelLoadError('<ClusteringModel> has no <Cluster>');

  const n = fields.length;
  const score = (s: Slots): Score => {
    const x = new Array<number | null>(n);
    let present = 0;
    for (let i = 0; i < n; i++) {
      const v = fields[i]!.get(s) as number | null;
      x[i] = v;
      if (v !== null) present += adjust[i]!;
    }
    // Missing inputs are skipped and the distance scaled up by Σ weights / Σ present weights.
    if (present === 0) throw new RecordError('every ClusteringField is missing: no distance can be computed');
    const adjustment = adjustTotal / present;
    const ranking: RankedEntity[] = clusters.map((c) => {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        if (v === null) continue;
        const f = fields[i]!, ref = c.center[i]!;
        let d: number;
        switch (f.compare) {
          case 'absDiff': d = Math.abs(v - ref); break;
          case 'gaussSim': { const z = v - ref; d = Math.exp((-Math.log(2) * z * z) / (f.scale * f.scale)); break; }
          case 'delta': d = v === ref ? 0 : 1; break;
          case 'equal': d = v === ref ? 1 : 0; break;
        }
        d = Math.pow(d, p) * f.weight;
        if (measure === 'chebychev') { if (d > acc) acc = d; } else acc += d;
      }
      const distance = measure === 'chebychev' ? acc * adjustment : Math.pow(acc * adjustment, 1 / outer);
      return { id: c.id, affinity: distance };
    });
    let best = 0;
    for (let i = 1; i < ranking.length; i++) if (ranking[i]!.affinity < ranking[best]!.affinity) best = i;
    const winner = clusters[best]!;
    // Nearest first; equal distances keep document order (a stable sort).
    const ranked = ranking.slice().sort((a, b) => a.affinity - b.affinity);
    return { value: winner.id, entityId: winner.id, ranking: ranked, ...(winner.name === undefined ? {} : { displayValue: winner.name }) };
  };
  return { functionName: 'clustering', labels: [], score };
}

export const clusteringFamily: ModelFamily = { element: 'ClusteringModel', functionNames: ['clustering'], compile };
