// Feature records packed for the shadow thread: posting an array of objects costs a structured
// clone of every object (several µs a record on a loaded machine); numeric features go instead as
// one transferred Float64Array, row by row, and a feature with one value for the whole batch (the
// dataType) once. The worker rebuilds the objects, on its own time.
import type { FeatureRecord } from '../../lib/models/index.ts';

/** One feature's value: a scalar, or a list (an association model's items). */
type Feature = FeatureRecord[string];

export interface PackedRecords {
  readonly count: number;
  /** Features that are numbers in every record: `values[row * numeric.length + column]`. */
  readonly numeric: readonly string[];
  readonly values: Float64Array;
  /** Features with the same value in every record. */
  readonly constant: { readonly [name: string]: Feature };
  /** Any other feature, one value per record. */
  readonly other: { readonly [name: string]: readonly Feature[] };
}

export function packRecords(records: readonly FeatureRecord[]): PackedRecords {
  const names = new Set<string>();
  for (const r of records) for (const k in r) names.add(k);
  const numeric: string[] = [], constant: { [name: string]: Feature } = {}, other: { [name: string]: Feature[] } = {};
  for (const name of names) {
    const first = records[0]![name];
    if (records.every((r) => typeof r[name] === 'number')) numeric.push(name);
    else if (records.every((r) => r[name] === first)) constant[name] = first;
    else other[name] = records.map((r) => r[name]);
  }
  const values = new Float64Array(records.length * numeric.length);
  records.forEach((r, row) => numeric.forEach((name, column) => { values[row * numeric.length + column] = r[name] as number; }));
  return { count: records.length, numeric, values, constant, other };
}

export function unpackRecords(packed: PackedRecords): FeatureRecord[] {
  const { count, numeric, values, constant, other } = packed;
  const width = numeric.length;
  const out: FeatureRecord[] = [];
  for (let row = 0; row < count; row++) {
    const r: { [name: string]: Feature } = { ...constant };
    for (let column = 0; column < width; column++) r[numeric[column]!] = values[row * width + column]!;
    for (const name in other) r[name] = other[name]![row];
    out.push(r);
  }
  return out;
}
