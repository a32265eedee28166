// Scorecard (PMML 4.4 §Scorecard): initialScore plus, per Characteristic, the partial score of
// its first Attribute whose predicate is true; with useReasonCodes, each Attribute's distance
// to its baseline is summed per reason code and the codes are ranked by those points.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { CompiledModel, Eval, FamilyContext, ModelFamily, PredicateFn, Score, Slots } from '../family.ts';
import { expressionChild } from '../expressions.ts';
import { predicateChild } from '../predicates.ts';
import { child, childrenNamed, enumAttr, numberAttr, type XmlElement } from '../xml.ts';

interface Attribute {
  readonly predicate: PredicateFn;
  /** The fixed partialScore, or the ComplexPartialScore expression (which takes precedence). */
  readonly points: number | Eval;
  /** Index into the model's reason codes (attribute's own, else its characteristic's); -1 without reason codes. */
  readonly code: number;
}

interface Characteristic {
  readonly name: string;
  readonly attributes: readonly Attribute[];
  readonly baseline: number;
}

function where(el: XmlElement): string {
  const name = el.attrs['name'];
  return `<${el.name}${name === undefined ? '' : ` name="${name}"`}>`;
}

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  if (ctx.functionName !== 'regression') throw new ModelLoadError(`<Scorecard functionName="${ctx.functionName}"> is not supported (supported: regression)`);
  const initial = numberAttr(model, 'initialScore', 0);
  const useReasonCodes = enumAttr(model, 'useReasonCodes', ['true', 'false'], 'true') === 'true';
  const algorithm = enumAttr(model, 'reasonCodeAlgorithm', ['pointsBelow', 'pointsAbove'], 'pointsBelow');
  // baselineMethod only documents how the baselines were chosen; scoring does not depend on it.
  enumAttr(model, 'baselineMethod', ['max', 'min', 'mean', 'neutral', 'other'], 'other');
  const modelBaseline = model.attrs['baselineScore'] === undefined ? undefined : numberAttr(model, 'baselineScore');
  const container = child(model, 'Characteristics');
  if (container === undefined) throw new ModelLoadError('<Scorecard> lacks <Characteristics>');
  const codes: string[] = [];
  const codeIndex = (code: string): number => {
    let i = codes.indexOf(code);
    if (i < 0) i = codes.push(code) - 1;
    return i;
  };
  const characteristics: Characteristic[] = childrenNamed(container, 'Characteristic').map((c) => {
    const attrEls = childrenNamed(c, 'Attribute');
    if (attrEls.length === 0) throw new ModelLoadError(`${where(c)} has no <Attribute>`);
    // "baselineScore ... must be defined at either the Scorecard or the Characteristic level when useReasonCodes is true"
    const baseline = c.attrs['baselineScore'] !== undefined ? numberAttr(c, 'baselineScore') : modelBaseline;
    if (useReasonCodes && baseline === undefined) {
      throw new ModelLoadError(`${where(c)} lacks the attribute baselineScore (and <Scorecard> has none) while useReasonCodes="true"`);
    }
    const attributes = attrEls.map((a): Attribute => {
      const complex = child(a, 'ComplexPartialScore');
      if (complex === undefined && a.attrs['partialScore'] === undefined) {
        throw new ModelLoadError(`<Attribute> of ${where(c)} lacks the attribute partialScore (and has no <ComplexPartialScore>)`);
      }
      const points = complex === undefined ? numberAttr(a, 'partialScore') : ctx.expression(expressionChild(complex));
      const code = a.attrs['reasonCode'] ?? c.attrs['reasonCode'];
      if (useReasonCodes && code === undefined) {
        throw new ModelLoadError(`<Attribute> of ${where(c)} lacks the attribute reasonCode (and its Characteristic has none) while useReasonCodes="true"`);
      }
      return { predicate: ctx.predicate(predicateChild(a)), points, code: code === undefined ? -1 : codeIndex(code) };
    });
    return { name: c.attrs['name'] ?? '', attributes, baseline: baseline ?? 0 };
  });
  if (characteristics.length === 0) throw new ModelLoadError('<Characteristics> has no <Characteristic>');

  const above = algorithm === 'pointsAbove';
  const partial = (c: Characteristic, s: Slots): { points: number; attribute: Attribute } => {
    for (const a of c.attributes) {
      // An UNKNOWN predicate (missing input) does not select the Attribute.
      if (a.predicate(s) !== true) continue;
      if (typeof a.points === 'number') return { points: a.points, attribute: a };
      const v = a.points(s);
      if (v === null) throw new RecordError(`<ComplexPartialScore> of Characteristic "${c.name}" is missing for this record`);
      return { points: v as number, attribute: a };
    }
    // "If not even a single Attribute evaluates to "true" for a given Characteristic, the scorecard as a whole returns an invalid value"
    throw new RecordError(`no Attribute of Characteristic "${c.name}" is true for this record`);
  };
  const score = (s: Slots): Score => {
    let total = initial;
    if (!useReasonCodes) {
      for (const c of characteristics) total += partial(c, s).points;
      return { value: total };
    }
    const sums = new Array<number>(codes.length).fill(0);
    const seen: number[] = [];
    for (const c of characteristics) {
      const { points, attribute } = partial(c, s);
      total += points;
      if (!seen.includes(attribute.code)) seen.push(attribute.code);
      sums[attribute.code]! += above ? points - c.baseline : c.baseline - points;
    }
    // Codes whose points are negative are not reasons; ties keep the order codes were first met.
    const ranked = seen.filter((i) => sums[i]! >= 0).sort((a, b) => sums[b]! - sums[a]!);
    return { value: total, reasonCodes: ranked.map((i) => codes[i]!) };
  };
  return { functionName: 'regression', labels: [], score };
}

export const scorecardFamily: ModelFamily = { element: 'Scorecard', compile };
