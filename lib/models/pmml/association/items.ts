// Which of an AssociationModel's Items a record holds (PMML 4.4 §AssociationModel, "Item").
// Two input styles, as JPMML reads them: transactional (one group field, one active field whose
// value is the list of the transaction's items) and categorical (no group field: an Item names a
// field that is true/false, "T"/"F", or "field=category").
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { FamilyContext, FieldInfo, Slots, Value } from '../family.ts';
import { toType, valueKey } from '../values.ts';
import { requiredAttr, type XmlElement } from '../xml.ts';

/** Fills `held[i]` with whether the record holds item i (Items in document order: 1 held, 0 not). */
export type ItemReader = (s: Slots, held: Uint8Array) => void;

interface ItemValue {
  readonly field: FieldInfo;
  /** null: the field itself is the item (a true/false field). */
  readonly category: Value;
}

/** Resolves a field by name, or undefined when the model's scope has none. */
function tryField(ctx: FamilyContext, name: string, where: XmlElement): FieldInfo | undefined {
  try {
    return ctx.field(name, where);
  } catch (err) {
    if (err instanceof ModelLoadError) return undefined;
    throw err;
  }
}

function typedCategory(field: FieldInfo, raw: string, item: XmlElement): Value {
  const v = toType(raw, field.dataType);
  if (v === undefined) throw new ModelLoadError(`<Item id="${item.attrs['id']}"> category "${raw}" is not a ${field.dataType} value of field "${field.name}"`);
  return v;
}

function itemValue(item: XmlElement, ctx: FamilyContext, groups: number, active: readonly string[]): ItemValue {
  const id = requiredAttr(item, 'id');
  const value = requiredAttr(item, 'value');
  const fieldName = item.attrs['field'], category = item.attrs['category'];
  const where = `<Item id="${id}" value="${value}">`;
  if (fieldName !== undefined) {
    if (category === undefined) throw new ModelLoadError(`${where} has a field but lacks the attribute category`);
    const field = ctx.field(fieldName, item);
    return { field, category: typedCategory(field, category, item) };
  }
  if (groups === 1) {
    if (active.length !== 1) throw new ModelLoadError(`<MiningSchema> of a transactional <AssociationModel> needs 1 active field, not ${active.length}`);
    const field = ctx.field(active[0]!, item);
    return { field, category: typedCategory(field, value, item) };
  }
  if (active.length === 0) throw new ModelLoadError('<MiningSchema> of an <AssociationModel> needs at least one active field');
  // Categorical style: the value names a true/false field, else "field=category".
  const whole = tryField(ctx, value, item);
  if (whole !== undefined) return { field: whole, category: null };
  const eq = value.indexOf('=');
  const field = eq < 0 ? undefined : tryField(ctx, value.slice(0, eq), item);
  if (field === undefined) throw new ModelLoadError(`${where} names no field of the model (neither "${value}" nor "field=category")`);
  return { field, category: typedCategory(field, value.slice(eq + 1), item) };
}

/** JPMML's reading of a true/false item field: "T"/"F" (IBM SPSS style) or a boolean. */
function flag(field: FieldInfo, v: Value): boolean {
  if (v === true || v === 'T' || v === 'true' || v === 1) return true;
  if (v === false || v === 'F' || v === 'false' || v === 0) return false;
  throw new RecordError(`field "${field.name}" is an item of the association model: expected false or true, got ${JSON.stringify(v)}`);
}

/** Compiles how a record's items are found; `groups` is the number of usageType="group" fields. */
export function compileItems(items: readonly XmlElement[], ctx: FamilyContext, groups: number, active: readonly string[]): ItemReader {
  if (groups > 1) throw new ModelLoadError(`<MiningSchema> of an <AssociationModel> has ${groups} group fields (at most 1)`);
  const values = items.map((it) => itemValue(it, ctx, groups, active));
  if (groups === 0) {
    const n = values.length;
    return (s, held) => {
      for (let i = 0; i < n; i++) {
        const { field, category } = values[i]!;
        const v = field.get(s);
        held[i] = v === null ? 0 : (category === null ? flag(field, v) : valueKey(v) === valueKey(category)) ? 1 : 0;
      }
    };
  }
  // Transactional: an item field's value is the list of the transaction's items; each listed
  // value marks the items it names through one lookup (no set built per record).
  const fields = [...new Set(values.map((v) => v.field))];
  const byValue = fields.map((field) => {
    const m = new Map<string, number[]>();
    values.forEach((v, i) => { if (v.field === field) { const k = valueKey(v.category); (m.get(k) ?? m.set(k, []).get(k)!).push(i); } });
    return m;
  });
  return (s, held) => {
    held.fill(0);
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f]!;
      const v = field.get(s) as unknown;
      if (v === null) throw new RecordError(`field "${field.name}" is missing: a transactional association model needs the list of the transaction's items`);
      if (!Array.isArray(v)) throw new RecordError(`field "${field.name}" has the value ${JSON.stringify(v)}, not a list of items (a transactional association model reads a collection)`);
      const lookup = byValue[f]!;
      for (const x of v as Value[]) {
        if (x === null) continue;
        const items = lookup.get(valueKey(x));
        if (items !== undefined) for (const i of items) held[i] = 1;
      }
    }
  };
}
