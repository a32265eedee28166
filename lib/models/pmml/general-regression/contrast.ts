// Contrast matrices of GeneralRegressionModel factors (FactorList/Predictor with Categories and
// Matrix, PMML 4.x): a factor's value selects a row (its position among Categories) and a
// PPCell's value a column; the term contributes that matrix element instead of a 0/1 indicator.
// The Matrix element (PMML General Structure) is read here into dense rows once, at load.
import { ModelLoadError } from '../../api/model.ts';
import { parseArrayTokens } from '../predicates.ts';
import { childrenNamed, enumAttr, numberAttr, parseNumber, requiredAttr } from '../xml.ts';
import type { XmlElement } from '../xml.ts';

const fail = (msg: string): never => { throw new ModelLoadError(msg); };

function numbers(array: XmlElement): number[] {
  return parseArrayTokens(array.text).map((t) => parseNumber(t) ?? fail(`<Matrix> <Array> element "${t}" is not a number`));
}

const optionalNumber = (el: XmlElement, attr: string): number | undefined =>
  el.attrs[attr] === undefined ? undefined : numberAttr(el, attr);

/** A Matrix as dense rows; `nbRows`×`nbCols` when given, else as large as its content. */
export function readMatrix(el: XmlElement): number[][] {
  const kind = enumAttr(el, 'kind', ['any', 'symmetric', 'diagonal'], 'any');
  const arrays = childrenNamed(el, 'Array').map(numbers);
  const cells = childrenNamed(el, 'MatCell');
  const diagDefault = optionalNumber(el, 'diagDefault');
  const offDiagDefault = optionalNumber(el, 'offDiagDefault');
  if (kind === 'diagonal') {
    const d = arrays[0] ?? fail('<Matrix kind="diagonal"> needs one <Array> of diagonal values');
    return d.map((v, i) => d.map((_, j) => (i === j ? v : (offDiagDefault ?? 0))));
  }
  if (kind === 'symmetric') {
    if (arrays.length === 0) fail('<Matrix kind="symmetric"> needs its lower triangle as <Array> rows');
    const n = arrays.length;
    const at = (i: number, j: number): number => arrays[Math.max(i, j)]?.[Math.min(i, j)] ?? fail(`<Matrix kind="symmetric"> row ${Math.max(i, j) + 1} is too short`);
    return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => at(i, j)));
  }
  if (arrays.length > 0) {
    const cols = optionalNumber(el, 'nbCols') ?? (arrays[0] as number[]).length;
    if (arrays.some((a) => a.length !== cols)) fail(`<Matrix> rows must all have ${cols} elements`);
    return arrays;
  }
  if (cells.length === 0) fail('<Matrix> has neither <Array> rows nor <MatCell> elements');
  const parsed = cells.map((c) => ({
    row: numberAttr(c, 'row'),
    col: numberAttr(c, 'col'),
    value: parseNumber(c.text) ?? fail(`<MatCell row="${requiredAttr(c, 'row')}" col="${requiredAttr(c, 'col')}"> is not a number`),
  }));
  const rows = optionalNumber(el, 'nbRows') ?? Math.max(...parsed.map((c) => c.row));
  const cols = optionalNumber(el, 'nbCols') ?? Math.max(...parsed.map((c) => c.col));
  const m = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === j ? (diagDefault ?? NaN) : (offDiagDefault ?? NaN))));
  for (const c of parsed) {
    const row = m[c.row - 1];
    if (!row || c.col < 1 || c.col > cols) fail(`<MatCell row="${c.row}" col="${c.col}"> lies outside the ${rows}×${cols} matrix`);
    (row as number[])[c.col - 1] = c.value;
  }
  return m;
}

/** A factor's contrast coding: its Categories in order and the matrix rows they select. */
export interface Contrast {
  readonly categories: readonly string[];
  readonly matrix: readonly (readonly number[])[];
}

/** Reads a Predictor's Categories and Matrix; null when it has neither (indicator coding). */
export function readContrast(predictor: XmlElement): Contrast | null {
  const cats = childrenNamed(predictor, 'Categories')[0];
  const matrixEl = childrenNamed(predictor, 'Matrix')[0];
  if (!cats && !matrixEl) return null;
  const name = predictor.attrs.name ?? '';
  if (!cats || !matrixEl) fail(`<Predictor name="${name}"> needs both <Categories> and <Matrix> for a contrast matrix`);
  const categories = childrenNamed(cats as XmlElement, 'Category').map((c) => requiredAttr(c, 'value'));
  const matrix = readMatrix(matrixEl as XmlElement);
  if (matrix.length !== categories.length) fail(`<Predictor name="${name}">: its Matrix has ${matrix.length} rows for ${categories.length} categories`);
  return { categories, matrix };
}
