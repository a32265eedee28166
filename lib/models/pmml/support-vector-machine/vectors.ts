// VectorDictionary (PMML 4.4 §SupportVectorMachineModel): the input vector's components
// (VectorFields: FieldRef or, in 4.4, CategoricalPredictor indicators) and the support vectors
// by id, each an Array or a REAL-SparseArray of as many numbers.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { FamilyContext, Slots } from '../family.ts';
import { parseArrayTokens } from '../predicates.ts';
import { parseTyped, valueKey } from '../values.ts';
import { child, childrenNamed, numberAttr, parseNumber, requiredAttr, type XmlElement } from '../xml.ts';

export interface VectorDictionary {
  /** Reads the record's vector; a missing component is a RecordError, as JPMML fails the record. */
  readonly input: (s: Slots) => Float64Array;
  readonly vectors: ReadonlyMap<string, Float64Array>;
  readonly size: number;
}

function numbers(text: string, where: string): number[] {
  return parseArrayTokens(text).map((t) => {
    const n = parseNumber(t);
    if (n === null) throw new ModelLoadError(`${where} holds "${t}", not a number`);
    return n;
  });
}

function vectorOf(vi: XmlElement, size: number): Float64Array {
  const id = requiredAttr(vi, 'id');
  const where = `<VectorInstance id="${id}">`;
  const dense = child(vi, 'Array'), sparse = child(vi, 'REAL-SparseArray');
  if ((dense === undefined) === (sparse === undefined)) throw new ModelLoadError(`${where} needs exactly one of <Array>, <REAL-SparseArray>`);
  if (dense !== undefined) {
    const v = numbers(dense.text, `${where} <Array>`);
    if (v.length !== size) throw new ModelLoadError(`${where} has ${v.length} values for ${size} VectorFields`);
    return Float64Array.from(v);
  }
  const n = numberAttr(sparse!, 'n', size);
  if (n !== size) throw new ModelLoadError(`${where} <REAL-SparseArray n="${n}"> does not match ${size} VectorFields`);
  const indices = numbers(child(sparse!, 'Indices')?.text ?? '', `${where} <Indices>`);
  const entries = numbers(child(sparse!, 'REAL-Entries')?.text ?? '', `${where} <REAL-Entries>`);
  if (indices.length !== entries.length) throw new ModelLoadError(`${where} has ${indices.length} <Indices> for ${entries.length} <REAL-Entries>`);
  const out = new Float64Array(size);
  indices.forEach((ix, k) => {
    // Sparse array indices are 1-based.
    if (!Number.isInteger(ix) || ix < 1 || ix > size) throw new ModelLoadError(`${where} index ${ix} is outside 1..${size}`);
    out[ix - 1] = entries[k]!;
  });
  return out;
}

export function readVectorDictionary(model: XmlElement, ctx: FamilyContext): VectorDictionary {
  const dict = child(model, 'VectorDictionary');
  if (dict === undefined) throw new ModelLoadError('<SupportVectorMachineModel> lacks <VectorDictionary>');
  const fieldsEl = child(dict, 'VectorFields');
  if (fieldsEl === undefined) throw new ModelLoadError('<VectorDictionary> lacks <VectorFields>');
  const readers = fieldsEl.children.map((el): ((s: Slots) => number) => {
    if (el.name === 'FieldRef') {
      const name = requiredAttr(el, 'field');
      const get = ctx.field(name, el).get;
      return (s) => {
        const v = get(s);
        if (v === null) throw new RecordError(`VectorFields: field "${name}" is missing`);
        return typeof v === 'number' ? v : Number(v);
      };
    }
    if (el.name === 'CategoricalPredictor') {
      const name = requiredAttr(el, 'name');
      // An indicator: 1 when the field equals `value`; JPMML accepts only coefficient 1 here.
      if (numberAttr(el, 'coefficient', 1) !== 1) throw new ModelLoadError(`<CategoricalPredictor name="${name}"> in <VectorFields> coefficient="${el.attrs['coefficient']}" is not supported (supported: 1)`);
      const field = ctx.field(name, el);
      const key = valueKey(parseTyped(requiredAttr(el, 'value'), field.dataType, el, 'value'));
      return (s) => {
        const v = field.get(s);
        if (v === null) throw new RecordError(`VectorFields: field "${name}" is missing`);
        return valueKey(v) === key ? 1 : 0;
      };
    }
    throw new ModelLoadError(`<${el.name}> in <VectorFields> is not supported (supported: FieldRef, CategoricalPredictor)`);
  });
  const size = readers.length;
  if (size === 0) throw new ModelLoadError('<VectorFields> is empty');
  const vectors = new Map<string, Float64Array>();
  for (const vi of childrenNamed(dict, 'VectorInstance')) vectors.set(requiredAttr(vi, 'id'), vectorOf(vi, size));
  const input = (s: Slots): Float64Array => {
    const x = new Float64Array(size);
    for (let i = 0; i < size; i++) x[i] = readers[i]!(s);
    return x;
  };
  return { input, vectors, size };
}
