// Binary similarity measures (PMML 4.4 §ComparisonMeasure, "simpleMatching", "jaccard",
// "tanimoto", "binarySimilarity"): every KNNInput is a flag (0/1 or false/true); over the record
// and an instance a11, a10, a01, a00 count the inputs set in both, the record only, the instance
// only, neither. Field weights and compare functions do not apply to them.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { Value } from '../family.ts';
import { numberAttr, type XmlElement } from '../xml.ts';

export const SIMILARITIES = ['simpleMatching', 'jaccard', 'tanimoto', 'binarySimilarity'] as const;

/** The similarity of counts (a11, a10, a01, a00); a zero denominator fails the record (JPMML: UndefinedResultException). */
export type Similarity = (a11: number, a10: number, a01: number, a00: number) => number;

function ratio(numerator: number, denominator: number): number {
  if (denominator === 0) throw new RecordError('the binary similarity is undefined: its denominator is 0');
  return numerator / denominator;
}

export function compileSimilarity(el: XmlElement): Similarity {
  switch (el.name) {
    case 'simpleMatching': return (a11, a10, a01, a00) => ratio(a11 + a00, a11 + a10 + a01 + a00);
    case 'jaccard': return (a11, a10, a01) => ratio(a11, a11 + a10 + a01);
    case 'tanimoto': return (a11, a10, a01, a00) => ratio(a11 + a00, a11 + 2 * (a10 + a01) + a00);
    case 'binarySimilarity': {
      const [c11, c10, c01, c00, d11, d10, d01, d00] = ['c11', 'c10', 'c01', 'c00', 'd11', 'd10', 'd01', 'd00'].map((p) => numberAttr(el, `${p}-parameter`)) as number[];
      // Summed in JPMML's order: 11, 10, 01, 00.
      return (a11, a10, a01, a00) => ratio(c11! * a11 + c10! * a10 + c01! * a01 + c00! * a00, d11! * a11 + d10! * a10 + d01! * a01 + d00! * a00);
    }
    default: throw new ModelLoadError(`<ComparisonMeasure kind="similarity">: measure <${el.name}> is not supported (supported: ${SIMILARITIES.join(', ')})`);
  }
}

/** A value as a flag: 0/false unset, 1/true set; anything else (missing included) fails, as JPMML's bit set conversion. */
export function flagOf(v: Value, what: () => string): 0 | 1 {
  if (v === 0 || v === false || v === 'false') return 0;
  if (v === 1 || v === true || v === 'true') return 1;
  throw new RecordError(`${what()} is ${v === null ? 'missing' : JSON.stringify(v)}: a binary similarity needs 0 or 1 (false or true)`);
}
