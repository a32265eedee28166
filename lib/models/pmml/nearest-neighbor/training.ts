// TrainingInstances (PMML 4.4 §NearestNeighborModel): the InlineTable rows, each InstanceField
// mapping a table column to a model field: a column parsed as a field's dataType, or a row as a
// record the model's fields are evaluated on.
import { ModelLoadError, type FeatureRecord } from '../../api/model.ts';
import type { DataType, Value } from '../family.ts';
import { parseTyped } from '../values.ts';
import { child, childrenNamed, requiredAttr, type XmlElement } from '../xml.ts';

export interface TrainingTable {
  readonly rows: number;
  /** Whether `name` is an InstanceField. */
  has(name: string): boolean;
  /** Row `r`'s cells by InstanceField field name, as written (empty cells absent): a record to evaluate the model's fields on. */
  record(r: number): FeatureRecord;
  /** The column of field `name`, typed, one value per row (null: the cell is empty or absent). */
  column(name: string, dataType: DataType, where: XmlElement): readonly Value[];
}

export function readTrainingInstances(model: XmlElement): TrainingTable {
  const ti = child(model, 'TrainingInstances');
  if (ti === undefined) throw new ModelLoadError('<NearestNeighborModel> lacks <TrainingInstances>');
  if (child(ti, 'TableLocator') !== undefined) throw new ModelLoadError('<TrainingInstances> <TableLocator> is not supported (supported: InlineTable)');
  const table = child(ti, 'InlineTable');
  if (table === undefined) throw new ModelLoadError('<TrainingInstances> lacks <InlineTable>');
  const fieldsEl = child(ti, 'InstanceFields');
  if (fieldsEl === undefined) throw new ModelLoadError('<TrainingInstances> lacks <InstanceFields>');
  const columns = new Map<string, string>();
  for (const f of childrenNamed(fieldsEl, 'InstanceField')) {
    const field = requiredAttr(f, 'field');
    // Cell elements are read without their namespace prefix, so a column "data:x" is <x>.
    const column = f.attrs['column'] ?? field;
    columns.set(field, column.slice(column.indexOf(':') + 1));
  }
  if (columns.size === 0) throw new ModelLoadError('<InstanceFields> has no <InstanceField>');
  const rows = childrenNamed(table, 'row').map((r) => {
    const cells = new Map<string, string>();
    for (const c of r.children) cells.set(c.name, c.text);
    return cells;
  });
  if (rows.length === 0) throw new ModelLoadError('<TrainingInstances> <InlineTable> has no rows');
  return {
    rows: rows.length,
    has: (name) => columns.has(name),
    record(r) {
      const cells = rows[r]!, out: { [name: string]: string } = {};
      for (const [field, col] of columns) { const raw = cells.get(col); if (raw !== undefined && raw !== '') out[field] = raw; }
      return out;
    },
    column(name, dataType, where) {
      const col = columns.get(name);
      if (col === undefined) throw new ModelLoadError(`${whereOf(where)} field "${name}" is not an <InstanceField> of <TrainingInstances>`);
      return rows.map((cells, i) => {
        const raw = cells.get(col);
        if (raw === undefined || raw === '') return null;
        const cell: XmlElement = { name: 'row', attrs: { name: `${i + 1}` }, children: [], text: raw };
        return parseTyped(raw, dataType, cell, col);
      });
    },
  };
}

function whereOf(el: XmlElement): string {
  const a = Object.entries(el.attrs).map(([k, v]) => ` ${k}="${v}"`).join('');
  return `<${el.name}${a}>`;
}
