// The PMML document as a small ordered element tree. fast-xml-parser's `preserveOrder` output
// keeps child order (Node children, Segments, Apply arguments), which PMML semantics depend on.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ModelLoadError } from '../api/model.ts';

export interface XmlElement {
  readonly name: string;
  /** Attributes by name, order-insensitive; values are the raw strings. */
  readonly attrs: Readonly<{ [name: string]: string }>;
  /** Child elements in document order (`Extension` elements are dropped). */
  readonly children: readonly XmlElement[];
  /** Concatenated text content (e.g. of `Array`), trimmed. */
  readonly text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Attribute values are kept as written: JPMML compares `<Value value="  male">` untrimmed.
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

type RawNode = { [key: string]: unknown };

function convert(node: RawNode): XmlElement | string | null {
  let name: string | undefined;
  for (const key of Object.keys(node)) if (key !== ':@') name = key;
  if (name === undefined) return null;
  if (name === '#text') return String(node[name]);
  const attrsRaw = (node[':@'] ?? {}) as { [k: string]: unknown };
  const attrs: { [name: string]: string } = {};
  for (const [k, v] of Object.entries(attrsRaw)) attrs[k] = String(v);
  const children: XmlElement[] = [];
  let text = '';
  for (const c of (node[name] as RawNode[] | undefined) ?? []) {
    const converted = convert(c);
    if (typeof converted === 'string') text += converted;
    else if (converted !== null && converted.name !== 'Extension') children.push(converted);
  }
  return { name, attrs, children, text: text.trim() };
}

/** Parses a PMML document; malformed XML or a non-PMML root is a `ModelLoadError`. */
export function parsePmmlXml(xml: string | Uint8Array): XmlElement {
  const source = typeof xml === 'string' ? xml : new TextDecoder('utf-8').decode(xml);
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    const e = valid.err;
    throw new ModelLoadError(`PMML is not well-formed XML: ${e.msg} (line ${e.line}, column ${e.col})`);
  }
  let raw: RawNode[];
  try {
    raw = parser.parse(source) as RawNode[];
  } catch (cause) {
    throw new ModelLoadError(`PMML could not be parsed: ${(cause as Error).message}`, { cause });
  }
  const roots = raw.map(convert).filter((x): x is XmlElement => x !== null && typeof x !== 'string');
  const root = roots[0];
  if (roots.length !== 1 || root === undefined || root.name !== 'PMML') {
    throw new ModelLoadError(`not a PMML document: the root element is <${root?.name ?? 'none'}>, expected <PMML>`);
  }
  return root;
}

/** The first child element called `name`, if any. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** Every child element called `name`, in document order. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** A required attribute; its absence is a `ModelLoadError` naming element and attribute. */
export function requiredAttr(el: XmlElement, attr: string): string {
  const v = el.attrs[attr];
  if (v === undefined) throw new ModelLoadError(`<${el.name}> lacks the required attribute ${attr}`);
  return v;
}

/** A numeric attribute (PMML REAL-NUMBER/INT-NUMBER), `fallback` when absent; not a number is a `ModelLoadError`. */
export function numberAttr(el: XmlElement, attr: string, fallback?: number): number {
  const raw = el.attrs[attr];
  if (raw === undefined) {
    if (fallback === undefined) throw new ModelLoadError(`<${el.name}> lacks the required attribute ${attr}`);
    return fallback;
  }
  const n = parseNumber(raw);
  if (n === null) throw new ModelLoadError(`<${el.name}> attribute ${attr}="${raw}" is not a number`);
  return n;
}

/** An attribute restricted to a set of values; anything else is a `ModelLoadError` naming it. */
export function enumAttr<T extends string>(el: XmlElement, attr: string, allowed: readonly T[], fallback: T): T {
  const raw = el.attrs[attr];
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ModelLoadError(`<${el.name}> ${attr}="${raw}" is not supported (supported: ${allowed.join(', ')})`);
  }
  return raw as T;
}

/** Parses a PMML number (also INF/-INF/NaN as Java writes them); null when it is not one. */
export function parseNumber(raw: string): number | null {
  const s = raw.trim();
  if (s === '') return null;
  switch (s) {
    case 'INF': case 'Infinity': case '+Infinity': return Infinity;
    case '-INF': case '-Infinity': return -Infinity;
    case 'NaN': return NaN;
  }
  const n = Number(s);
  return Number.isNaN(n) ? null : n;
}
