// Conversion between raw values (record features, XML attribute text) and typed PMML values.
import { ModelLoadError } from '../api/model.ts';
import type { DataType, OpType, Value } from './family.ts';
import { parseNumber, type XmlElement } from './xml.ts';

const DATA_TYPES: readonly DataType[] = ['string', 'integer', 'float', 'double', 'boolean'];
const OP_TYPES: readonly OpType[] = ['categorical', 'ordinal', 'continuous'];

/** Reads `dataType` (required unless `fallback`); date/time types are rejected by name. */
export function dataTypeAttr(el: XmlElement, fallback?: DataType): DataType {
  const raw = el.attrs['dataType'];
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ModelLoadError(`<${el.name}${nameOf(el)}> lacks the required attribute dataType`);
  }
  if (!(DATA_TYPES as readonly string[]).includes(raw)) {
    throw new ModelLoadError(`<${el.name}${nameOf(el)}> dataType="${raw}" is not supported (supported: ${DATA_TYPES.join(', ')})`);
  }
  return raw as DataType;
}

/** Reads `optype`; when absent, PMML's default for the data type (continuous for numbers). */
export function opTypeAttr(el: XmlElement, dataType: DataType): OpType {
  const raw = el.attrs['optype'];
  if (raw === undefined) return isNumeric(dataType) ? 'continuous' : 'categorical';
  if (!(OP_TYPES as readonly string[]).includes(raw)) {
    throw new ModelLoadError(`<${el.name}${nameOf(el)}> optype="${raw}" is not supported`);
  }
  return raw as OpType;
}

export function nameOf(el: XmlElement): string {
  const n = el.attrs['name'] ?? el.attrs['field'];
  return n === undefined ? '' : ` name="${n}"`;
}

export function isNumeric(t: DataType): boolean {
  return t === 'double' || t === 'float' || t === 'integer';
}

/**
 * Converts a value to `dataType`; `undefined` when it cannot be (an invalid value).
 * Never called with a missing value.
 */
export function toType(v: string | number | boolean, dataType: DataType): Value | undefined {
  switch (dataType) {
    case 'double':
    case 'float':
    case 'integer': {
      let n: number | null;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'boolean') n = v ? 1 : 0;
      else n = parseNumber(v);
      if (n === null || Number.isNaN(n)) return undefined;
      if (dataType === 'integer') return Number.isInteger(n) ? n : undefined;
      return dataType === 'float' ? Math.fround(n) : n;
    }
    case 'string':
      return typeof v === 'string' ? v : String(v);
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
      {
        // JPMML: "true"/"false" in any case as written, else a number (surrounding spaces allowed) 1 or 0.
        const s = v.toLowerCase();
        if (s === 'true') return true;
        if (s === 'false') return false;
        const n = parseNumber(v);
        return n === 1 ? true : n === 0 ? false : undefined;
      }
  }
}

/** Parses attribute text as `dataType`; a value that does not convert is a `ModelLoadError`. */
export function parseTyped(raw: string, dataType: DataType, where: XmlElement, attr: string): Value {
  const v = toType(raw, dataType);
  if (v === undefined) {
    throw new ModelLoadError(`<${where.name}${nameOf(where)}> ${attr}="${raw}" is not a valid ${dataType}`);
  }
  return v;
}

/** The type PMML infers for an untyped constant: double when it parses as a number, else string. */
export function inferDataType(raw: string): DataType {
  return parseNumber(raw) === null ? 'string' : 'double';
}

/** A key for value lookups (MapValues, set membership): type-aware so 1 and "1" of one field agree. */
export function valueKey(v: Value): string {
  return typeof v === 'number' ? `n${v}` : typeof v === 'boolean' ? `b${v}` : `s${String(v)}`;
}

/** A class label such as "6" is returned as the number 6, as the serving results carry numeric labels. */
export function labelValue(label: string): number | string {
  const n = parseNumber(label);
  return n === null || !Number.isFinite(n) ? label : n;
}

/** Formats a value as PMML text (a label); integers without a fraction, as JPMML formats them. */
export function formatValue(v: Value): string {
  return v === null ? '' : String(v);
}

/**
 * A double as Java's Double.toString writes it (JPMML casting a double to a string): "32.0",
 * "0.5", "1.0E7", "1.5E-4"; plain decimals in [1e-3, 1e7), else scientific notation.
 */
export function javaDoubleText(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e7) { const t = String(v); return t.includes('.') ? t : `${t}.0`; }
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}
