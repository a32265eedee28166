// Compares our evaluator's outcome for one record with JPMML's, with the tolerances of the
// conformance contract: class labels exactly (the number 6 equals "6"), numbers within 1e-9
// relative or 1e-12 absolute, probabilities likewise per label (a label absent on one side is 0).
// A list from JPMML (MiningModel selectAll) is compared element-wise with our `segments`.
import type { FeatureValue } from '../../lib/models/api/model.ts';
import type { JpmmlOutcome, JpmmlValue } from './jpmml.ts';

export const RELATIVE_TOLERANCE = 1e-9;
export const ABSOLUTE_TOLERANCE = 1e-12;

/** Our side of one record: a prediction, a RecordError, or any other throw (always a mismatch). */
export type OurOutcome =
  | {
    readonly kind: 'scored';
    readonly value: FeatureValue | readonly FeatureValue[];
    readonly probabilities?: Readonly<{ [label: string]: number }> | undefined;
    /** Prediction.segments (selectAll): only their values are compared, the harness prints no more. */
    readonly segments?: readonly { readonly value: FeatureValue }[] | undefined;
    /** Prediction.outputs: compared by name with JPMML's Output fields when ours has any. */
    readonly outputs?: Readonly<{ [name: string]: FeatureValue | readonly FeatureValue[] }> | undefined;
    /** Prediction.targets: compared by name with JPMML's when it reports several targets. */
    readonly targets?: Readonly<{ [name: string]: FeatureValue }> | undefined;
  }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'crash'; readonly message: string };

export function numbersClose(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  return diff <= ABSOLUTE_TOLERANCE || diff <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Labels and values: a numeric string and a number are equal when they denote the same number. */
export function valuesEqual(ours: unknown, theirs: JpmmlValue): boolean {
  if (theirs === null || ours === null || ours === undefined) return (ours ?? null) === theirs;
  if (Array.isArray(theirs)) {
    return Array.isArray(ours) && ours.length === theirs.length && theirs.every((t, i) => valuesEqual(ours[i], t));
  }
  if (typeof theirs === 'number' && typeof ours === 'number') return numbersClose(ours, theirs);
  if (typeof theirs === typeof ours) return ours === theirs;
  if (String(ours) === String(theirs)) return true;
  const a = asNumber(ours), b = asNumber(theirs);
  return a !== undefined && b !== undefined && a === b;
}

/** "6.0" and "6" name the same class when labels are numeric. */
function canonicalLabel(label: string): string {
  const n = asNumber(label);
  return n === undefined ? label : String(n);
}

function canonical(p: Readonly<{ [label: string]: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [label, v] of Object.entries(p)) out.set(canonicalLabel(label), v);
  return out;
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? JSON.stringify(v) : String(v);
}

/** JPMML's selectAll list against our segments: same length, equal values in order, and our value null. */
function compareSegments(value: unknown, segments: readonly { readonly value: FeatureValue }[] | undefined, theirs: JpmmlValue): string | undefined {
  if (!Array.isArray(theirs)) return `ours has segments ${show(segments?.map((s) => s.value))}, jpmml value=${show(theirs)}`;
  if (segments === undefined) return `jpmml returned a list ${show(theirs)}, ours value=${show(value)} and no segments`;
  if ((value ?? null) !== null) return `ours has segments and value=${show(value)}; value must be null alongside segments`;
  if (segments.length !== theirs.length) return `segments ours=${show(segments.map((s) => s.value))} jpmml=${show(theirs)}`;
  for (let i = 0; i < theirs.length; i++) {
    if (!valuesEqual(segments[i]!.value, theirs[i] ?? null)) return `segment ${i} ours=${show(segments[i]!.value)} jpmml=${show(theirs[i])}`;
  }
  return undefined;
}

/** Undefined when the outcomes agree, else a one-line description of the first difference. */
export function compareOutcome(ours: OurOutcome, theirs: JpmmlOutcome): string | undefined {
  if (ours.kind === 'crash') return `ours threw a non-RecordError: ${ours.message}; jpmml ${theirs.kind === 'error' ? `error ${theirs.message}` : `value=${show(theirs.value)}`}`;
  if (theirs.kind === 'error') {
    return ours.kind === 'error' ? undefined : `jpmml rejected the record (${theirs.message}) but ours scored value=${show(ours.value)}`;
  }
  if (ours.kind === 'error') return `ours rejected the record (${ours.message}) but jpmml scored value=${show(theirs.value)}`;
  if (Array.isArray(theirs.value) || ours.segments !== undefined) {
    const diff = compareSegments(ours.value, ours.segments, theirs.value);
    if (diff) return diff;
  } else if (!valuesEqual(ours.value, theirs.value)) return `value ours=${show(ours.value)} jpmml=${show(theirs.value)}`;

  const outputDiff = compareOutputs(ours.outputs, theirs.outputs);
  if (outputDiff) return outputDiff;
  if (theirs.targets !== undefined) {
    if (ours.targets === undefined) return `jpmml has targets ${JSON.stringify(theirs.targets)}, ours none`;
    for (const [name, v] of Object.entries(theirs.targets)) {
      if (!valuesEqual(ours.targets[name] ?? null, v)) return `target ${name} ours=${show(ours.targets[name])} jpmml=${show(v)}`;
    }
  }

  const theirP = theirs.probabilities, ourP = ours.probabilities;
  if (!theirP) {
    return ourP && Object.keys(ourP).length > 0 ? `ours has probabilities ${JSON.stringify(ourP)}, jpmml none` : undefined;
  }
  if (!ourP) return `jpmml has probabilities ${JSON.stringify(theirP)}, ours none`;
  const a = canonical(ourP), b = canonical(theirP);
  for (const label of new Set([...a.keys(), ...b.keys()])) {
    const pa = a.get(label) ?? 0, pb = b.get(label) ?? 0;
    if (!numbersClose(pa, pb)) return `probability(${label}) ours=${pa} jpmml=${pb}`;
  }
  return undefined;
}

/** Every Output field JPMML printed must be in ours with an equal value (null when JPMML has none). */
function compareOutputs(ours: Readonly<{ [name: string]: FeatureValue | readonly FeatureValue[] }> | undefined, theirs: Readonly<{ [name: string]: JpmmlValue }>): string | undefined {
  const names = Object.keys(theirs);
  if (names.length === 0) return ours && Object.keys(ours).length > 0 ? `ours has outputs ${JSON.stringify(ours)}, jpmml none` : undefined;
  if (ours === undefined) return `jpmml has outputs ${JSON.stringify(theirs)}, ours none`;
  for (const name of names) {
    if (!valuesEqual(ours[name] ?? null, theirs[name] ?? null)) return `output ${name} ours=${show(ours[name])} jpmml=${show(theirs[name])}`;
  }
  return undefined;
}
