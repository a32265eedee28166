// Small inline PMML documents for unit tests: a DataDictionary plus one model element.
export interface FieldSpec {
  readonly name: string;
  readonly dataType?: string;
  readonly optype?: string;
  /** Inner XML of the DataField (Value, Interval elements). */
  readonly inner?: string;
}

export function pmmlDoc(fields: readonly FieldSpec[], model: string, extra = ''): string {
  const dd = fields.map((f) => {
    const dataType = f.dataType ?? 'double';
    const optype = f.optype ?? (dataType === 'string' ? 'categorical' : 'continuous');
    return `<DataField name="${f.name}" optype="${optype}" dataType="${dataType}">${f.inner ?? ''}</DataField>`;
  }).join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
  <Header/>
  <DataDictionary>
    ${dd}
  </DataDictionary>
  ${extra}
  ${model}
</PMML>`;
}

/** `<MiningSchema>` with a target and active fields (names or raw MiningField XML). */
export function schema(target: string | null, active: readonly string[]): string {
  const t = target === null ? '' : `<MiningField name="${target}" usageType="target"/>`;
  const a = active.map((f) => (f.startsWith('<') ? f : `<MiningField name="${f}"/>`)).join('');
  return `<MiningSchema>${t}${a}</MiningSchema>`;
}

/** A regression model computing `intercept + Σ coef·field` with the given extra content. */
export function linear(target: string | null, terms: { readonly [field: string]: number }, intercept = 0, inner = ''): string {
  const preds = Object.entries(terms).map(([f, c]) => `<NumericPredictor name="${f}" coefficient="${c}"/>`).join('');
  return `<RegressionModel functionName="regression">${schema(target, Object.keys(terms))}${inner}<RegressionTable intercept="${intercept}">${preds}</RegressionTable></RegressionModel>`;
}

export const near = (a: number, b: number, rel = 1e-12): boolean => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
