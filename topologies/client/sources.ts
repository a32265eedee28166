// What the provider publishes, read from files: wine records from a CSV (the tutorial's format:
// semicolon-separated, no header, 11 features then quality) and model descriptors from .pmml/.pb files.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { ModelType, WINE_FEATURES, type ModelDescriptor, type ModelRole, type WineRecord } from '../codecs/messages.ts';

/** A file the provider cannot use; the message names it and says why. */
export class ProviderInputError extends Error {
  override readonly name = 'ProviderInputError';
}

/** Every well-formed row of a wine CSV as a WineRecord (quality, the 12th column, is left out). */
export function readWineCsv(path: string, dataType = 'wine'): WineRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ProviderInputError(`cannot read the records file ${path}: ${(cause as Error).message}`, { cause });
  }
  const records: WineRecord[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cells = line.split(';').map((c) => c.trim());
    if (cells.length < WINE_FEATURES.length) continue; // blank line or a header
    const values = cells.slice(0, WINE_FEATURES.length).map(Number);
    if (values.some((v) => !Number.isFinite(v)) || cells.slice(0, WINE_FEATURES.length).some((c) => c === '')) continue;
    const record: { [k: string]: number | string } = { dataType };
    WINE_FEATURES.forEach((name, i) => { record[name] = values[i]!; });
    records.push(record as unknown as WineRecord);
  }
  if (records.length === 0) {
    throw new ProviderInputError(`no wine records in ${path}: expected lines of ${WINE_FEATURES.length} numbers separated by ';' (then quality)`);
  }
  return records;
}

const MODEL_TYPES: { readonly [ext: string]: { type: ModelType; label: string } } = {
  '.pmml': { type: ModelType.PMML, label: 'PMML' },
  '.pb': { type: ModelType.TENSORFLOW, label: 'TensorFlow' },
  '.onnx': { type: ModelType.ONNX, label: 'ONNX' },
};

/** The .pmml, .pb and .onnx files of a directory, sorted by name. */
export function modelFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw new ProviderInputError(`cannot list the models directory ${dir}: ${(cause as Error).message}`, { cause });
  }
  const files = names
    .filter((n) => MODEL_TYPES[extname(n).toLowerCase()])
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile())
    .sort();
  if (files.length === 0) throw new ProviderInputError(`no models in ${dir}: expected .pmml, .pb or .onnx files`);
  return files;
}

export interface DescriptorOptions {
  readonly dataType?: string;
  /** The model's name (default: the file's name without its extension). */
  readonly name?: string;
  /** Send the absolute path (`location`) instead of the bytes (`data`); the server must see the same file system. */
  readonly byReference?: boolean;
  /** The model's role for its dataType (default champion) and its weight (split, champion). */
  readonly role?: ModelRole;
  readonly weight?: number;
}

/** A ModelDescriptor for a .pmml (PMML), .pb (TensorFlow frozen graph) or .onnx (ONNX) file, named after the file. */
export function descriptorForFile(path: string, options: DescriptorOptions = {}): ModelDescriptor {
  const ext = extname(path).toLowerCase();
  const kind = MODEL_TYPES[ext];
  if (!kind) throw new ProviderInputError(`${path}: a model file must end in .pmml (PMML), .pb (TensorFlow) or .onnx (ONNX), not '${ext || '(none)'}'`);
  const name = options.name ?? basename(path, extname(path));
  const header = {
    name, description: `${kind.label} model from ${basename(path)}`, dataType: options.dataType ?? 'wine', modelType: kind.type,
    ...(options.role && { role: options.role }), ...(options.weight !== undefined && { weight: options.weight }),
  };
  if (options.byReference) {
    const location = resolve(path);
    if (!statSync(location, { throwIfNoEntry: false })?.isFile()) throw new ProviderInputError(`model file ${location} does not exist`);
    return { ...header, location };
  }
  try {
    return { ...header, data: readFileSync(path) };
  } catch (cause) {
    throw new ProviderInputError(`cannot read the model file ${path}: ${(cause as Error).message}`, { cause });
  }
}

/** Where the demo data lives in a data directory: the seed's or our own file names. */
export function findDataFiles(dir: string): { csv: string; modelsDir: string } {
  const csv = ['winequality_red.csv', 'wine.csv'].map((n) => join(dir, n)).find((p) => statSync(p, { throwIfNoEntry: false })?.isFile());
  if (!csv) throw new ProviderInputError(`no records file in ${dir}: expected winequality_red.csv or wine.csv`);
  const models = join(dir, 'models');
  const modelsDir = statSync(models, { throwIfNoEntry: false })?.isDirectory() ? models : dir;
  return { csv, modelsDir };
}
