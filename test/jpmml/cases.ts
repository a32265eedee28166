// The PMML files we check against JPMML, each with the records to score it on: the seed
// models on the seed CSV, our fixtures on their own JSON lines, our demo models on data/wine.csv.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureRecord } from '../../lib/models/api/model.ts';
import { SEED_DIR, seedMissingReason } from '../seed-data.ts';

export const repoRoot = new URL('../../', import.meta.url).pathname;
export const seedDir = SEED_DIR;
export const fixtureDir = join(repoRoot, 'test', 'fixtures', 'pmml');
export const dataDir = join(repoRoot, 'data');

/** The wine CSV's columns, in order (the 12th, quality, is the label and not a feature). */
export const WINE_FEATURES = [
  'fixed acidity', 'volatile acidity', 'citric acid', 'residual sugar', 'chlorides',
  'free sulfur dioxide', 'total sulfur dioxide', 'density', 'pH', 'sulphates', 'alcohol',
] as const;

export interface ConformanceCase {
  /** Test name: "seed/<file>", "fixture/<name>" or "data/<file>". */
  readonly name: string;
  readonly model: string;
  readonly input: string;
}

function pmmlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.pmml')).sort() : [];
}

/** The seed models on the seed CSV; none when the seed data is missing. */
export function seedCases(): ConformanceCase[] {
  if (seedMissingReason() !== undefined) return [];
  const input = join(seedDir, 'winequality_red.csv');
  return pmmlFiles(seedDir).map((f) => ({ name: `seed/${f}`, model: join(seedDir, f), input }));
}

/** Every test/fixtures/pmml/<name>.pmml; its records are <name>.input.jsonl. */
export function fixtureCases(): ConformanceCase[] {
  return pmmlFiles(fixtureDir).map((f) => {
    const base = f.slice(0, -'.pmml'.length);
    return { name: `fixture/${base}`, model: join(fixtureDir, f), input: join(fixtureDir, `${base}.input.jsonl`) };
  });
}

export function dataCases(): ConformanceCase[] {
  const models = join(dataDir, 'models');
  const input = join(dataDir, 'wine.csv');
  return pmmlFiles(models).map((f) => ({ name: `data/${f}`, model: join(models, f), input }));
}

/** The records of an input file as our evaluator receives them (a CSV row as its 11 named features). */
export function readRecords(input: string): FeatureRecord[] {
  const lines = readFileSync(input, 'utf8').split('\n').filter((l) => l.trim() !== '');
  if (input.endsWith('.jsonl')) return lines.map((l) => JSON.parse(l) as FeatureRecord);
  return lines.map((line) => {
    const cells = line.split(';');
    const record: { [name: string]: number } = {};
    WINE_FEATURES.forEach((name, i) => (record[name] = Number(cells[i])));
    return record;
  });
}
