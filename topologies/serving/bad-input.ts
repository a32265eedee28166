// What the serving topology accepts as a dataType. A dataType becomes a store key, a result key
// and a Prometheus label value, so one sent by mistake (or on purpose) as megabytes or with
// control characters must be refused at the door, counted, and shown only as a short preview.
import type { BadInputReason } from '../api.ts';

/** Longest dataType accepted, in UTF-8 bytes. */
export const MAX_DATA_TYPE_BYTES = 256;

/** Log the first bad record of a reason in a task, then one in this many. */
export const BAD_INPUT_LOG_EVERY = 1000;

// C0 controls, DEL and C1 controls: invisible in logs and labels, and able to forge log lines.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `dataType` is refused, or undefined when it is fine. */
export function dataTypeProblem(dataType: string): string | undefined {
  const bytes = Buffer.byteLength(dataType, 'utf8');
  if (bytes > MAX_DATA_TYPE_BYTES) return `is ${bytes} bytes long (at most ${MAX_DATA_TYPE_BYTES} bytes of UTF-8)`;
  const control = CONTROL.exec(dataType);
  if (control) return `contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return undefined;
}

/** The first characters of `s`, control characters escaped, for a log line. */
export function preview(s: string, max = 32): string {
  const head = JSON.stringify(s.slice(0, max)).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return s.length > max ? `${head}…` : head;
}

/** Bad input counts per reason; every reason is present, so a metric's label set is fixed. */
export type BadInputCounts = { readonly [R in BadInputReason]: number };

export const NO_BAD_INPUT: BadInputCounts = { 'invalid-data-type': 0, 'null-value': 0, 'invalid-model-data-type': 0 };

export function addBadInput(a: BadInputCounts, b: Partial<BadInputCounts>): BadInputCounts {
  return {
    'invalid-data-type': a['invalid-data-type'] + (b['invalid-data-type'] ?? 0),
    'null-value': a['null-value'] + (b['null-value'] ?? 0),
    'invalid-model-data-type': a['invalid-model-data-type'] + (b['invalid-model-data-type'] ?? 0),
  };
}

/** Whether the n-th bad record of a reason (1-based) is one to log. */
export function logsBadInput(n: number): boolean {
  return n === 1 || n % BAD_INPUT_LOG_EVERY === 0;
}
