// Records for a corpus document that comes without data: drawn (seeded) from its DataDictionary
// and the values its model compares fields with, so splits and categories are reached on both
// sides, with some missing and some invalid values to exercise the MiningSchema treatments.
import { parsePmmlXml, type XmlElement } from '../../lib/models/pmml/xml.ts';

type Cell = number | string | boolean;

/** mulberry32: a small seeded generator, so the same document always gets the same records. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Every value the document compares `field` with (predicates, norms, categorical predictors, arrays). */
function mentions(root: XmlElement, field: string): string[] {
  const out: string[] = [];
  const walk = (el: XmlElement, underField: boolean): void => {
    const here = el.attrs['field'] === field || el.attrs['name'] === field;
    if (here && el.attrs['value'] !== undefined) out.push(el.attrs['value']);
    if (underField && el.name === 'LinearNorm' && el.attrs['orig'] !== undefined) out.push(el.attrs['orig']);
    if (here && el.name === 'Array') out.push(...tokens(el.text));
    for (const c of el.children) walk(c, here || (underField && el.name !== 'DerivedField'));
  };
  walk(root, false);
  return out;
}

function tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : m[2]!);
  return out;
}

interface FieldPlan {
  readonly name: string;
  readonly draw: (r: () => number) => Cell;
}

function plan(df: XmlElement, root: XmlElement): FieldPlan {
  const name = df.attrs['name']!;
  const dataType = df.attrs['dataType'] ?? 'string';
  const optype = df.attrs['optype'] ?? (dataType === 'string' ? 'categorical' : 'continuous');
  const values = df.children.filter((c) => c.name === 'Value' && (c.attrs['property'] ?? 'valid') === 'valid').map((c) => c.attrs['value']!);
  const seen = mentions(root, name);
  const numeric = dataType === 'double' || dataType === 'float' || dataType === 'integer';
  const asCell = (s: string): Cell => (numeric && Number.isFinite(Number(s)) ? Number(s) : dataType === 'boolean' ? s === 'true' : s);
  if (dataType === 'boolean') return { name, draw: (r) => r() < 0.5 };
  if (optype !== 'continuous' || !numeric) {
    const pool = values.length > 0 ? values : [...new Set(seen)];
    const choices = pool.length > 0 ? pool : ['A', 'B', 'C'];
    return { name, draw: (r) => asCell(choices[Math.floor(r() * choices.length)]!) };
  }
  const nums = [...seen, ...df.children.filter((c) => c.name === 'Interval').flatMap((c) => [c.attrs['leftMargin'], c.attrs['rightMargin']])]
    .filter((s): s is string => s !== undefined).map(Number).filter(Number.isFinite);
  let lo = nums.length > 0 ? Math.min(...nums) : 0, hi = nums.length > 0 ? Math.max(...nums) : 10;
  const span = hi - lo || Math.max(1, Math.abs(lo));
  lo -= span * 0.2; hi += span * 0.2;
  const integer = dataType === 'integer';
  return {
    name,
    draw: (r) => {
      // A fifth of the draws sit exactly on a value the model compares with (split boundaries).
      if (nums.length > 0 && r() < 0.2) return nums[Math.floor(r() * nums.length)]!;
      const x = lo + r() * (hi - lo);
      return integer ? Math.round(x) : Math.round(x * 1000) / 1000;
    },
  };
}

/** The top model's active fields (usageType active, the default), in MiningSchema order. */
function activeFields(pmml: XmlElement): string[] {
  const model = pmml.children.find((c) => !['Header', 'MiningBuildTask', 'DataDictionary', 'TransformationDictionary'].includes(c.name));
  const schema = model?.children.find((c) => c.name === 'MiningSchema');
  return (schema?.children ?? []).filter((f) => f.name === 'MiningField' && (f.attrs['usageType'] ?? 'active') === 'active').map((f) => f.attrs['name']!);
}

/** `rows` records for `xml`, seeded by `seed`: JSON-ready objects keyed by field name (missing = absent). */
export function generateRecords(xml: string, seed: number, rows = 100): Record<string, Cell>[] {
  const pmml = parsePmmlXml(xml);
  const dict = pmml.children.find((c) => c.name === 'DataDictionary');
  const fields = new Map((dict?.children ?? []).filter((c) => c.name === 'DataField').map((df) => [df.attrs['name']!, df]));
  const plans = activeFields(pmml).flatMap((n) => (fields.has(n) ? [plan(fields.get(n)!, pmml)] : []));
  const r = rng(seed);
  const out: Record<string, Cell>[] = [];
  for (let i = 0; i < rows; i++) {
    const rec: Record<string, Cell> = {};
    for (const p of plans) {
      const u = r();
      if (i === rows - 1 || u < 0.04) continue; // missing (the last row has every field missing)
      rec[p.name] = u < 0.06 ? 'x-invalid' : p.draw(r);
    }
    out.push(rec);
  }
  return out;
}
