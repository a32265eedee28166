// A stand-in for the PMML pipeline, enough to compile one family in isolation: slots are the
// DataDictionary fields, and DerivedFields support FieldRef, NormContinuous and NormDiscrete.
// Tests of the full pipeline (loadPmml) live with the pipeline.
import type { CompiledModel, DataType, FamilyContext, FieldInfo, ModelFamily, OpType, Slots, Value } from '../../../../lib/models/pmml/family.ts';
import { child, childrenNamed, parsePmmlXml } from '../../../../lib/models/pmml/xml.ts';
import type { XmlElement } from '../../../../lib/models/pmml/xml.ts';

export interface Harness {
  readonly model: CompiledModel;
  /** Converts a record of named features into slots (doubles parsed as numbers). */
  slots(record: { readonly [name: string]: Value | undefined }): Slots;
}

function typed(v: Value | undefined, dataType: DataType): Value {
  if (v === undefined || v === null) return null;
  if (dataType === 'double' || dataType === 'float' || dataType === 'integer') return typeof v === 'number' ? v : Number(v);
  return String(v);
}

export function compileWith(family: ModelFamily, xml: string): Harness {
  const root = parsePmmlXml(xml);
  const dd = child(root, 'DataDictionary');
  if (!dd) throw new Error('no DataDictionary');
  const fields = childrenNamed(dd, 'DataField').map((f, i) => ({
    name: f.attrs.name as string,
    dataType: (f.attrs.dataType ?? 'double') as DataType,
    optype: (f.attrs.optype ?? 'continuous') as OpType,
    values: childrenNamed(f, 'Value').map((v) => v.attrs.value as string),
    index: i,
  }));
  const byName = new Map(fields.map((f) => [f.name, f]));
  const modelEl = root.children.find((c) => c.name === family.element);
  if (!modelEl) throw new Error(`no <${family.element}>`);
  const targetName = childrenNamed(child(modelEl, 'MiningSchema') as XmlElement, 'MiningField')
    .find((m) => m.attrs.usageType === 'target' || m.attrs.usageType === 'predicted')?.attrs.name;
  const target = targetName === undefined ? null : (byName.get(targetName) ?? null);

  const field = (name: string): FieldInfo => {
    const f = byName.get(name);
    if (!f) throw new Error(`unknown field ${name}`);
    return { name, dataType: f.dataType, optype: f.optype, values: f.values, get: (s) => s[f.index] ?? null };
  };
  const expression = (el: XmlElement): ((s: Slots) => Value) => {
    const f = field(el.attrs.field as string);
    switch (el.name) {
      case 'FieldRef': return f.get;
      case 'NormDiscrete': return (s) => (f.get(s) === null ? null : String(f.get(s)) === el.attrs.value ? 1 : 0);
      case 'NormContinuous': {
        const pts = childrenNamed(el, 'LinearNorm').map((l) => [Number(l.attrs.orig), Number(l.attrs.norm)] as const);
        return (s) => {
          const x = f.get(s);
          if (x === null) return null;
          let i = 0;
          while (i < pts.length - 2 && (x as number) > (pts[i + 1] as readonly number[])[0]!) i++;
          const [o0, n0] = pts[i]!, [o1, n1] = pts[i + 1]!;
          return n0 + (((x as number) - o0) / (o1 - o0)) * (n1 - n0);
        };
      }
      default: throw new Error(`fake context: no <${el.name}>`);
    }
  };
  const ctx: FamilyContext = {
    functionName: modelEl.attrs.functionName as 'regression' | 'classification',
    target: target && { name: target.name, dataType: target.dataType, optype: target.optype, labels: target.values },
    targets: target ? [{ name: target.name, dataType: target.dataType, optype: target.optype, labels: target.values }] : [],
    field,
    evaluateOn: () => { throw new Error('fake context: no other records'); },
    expression,
    derivedField: (df) => expression(df.children[0] as XmlElement),
    predicate: () => { throw new Error('fake context: no predicates'); },
    nested: () => { throw new Error('fake context: no nested models'); },
  };
  const model = family.compile(modelEl, ctx);
  return {
    model,
    slots: (record) => fields.map((f) => typed(record[f.name], f.dataType)),
  };
}
