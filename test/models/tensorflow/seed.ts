// The seed data for the TensorFlow tests, read in place (never copied into the repo).
import { readFileSync } from 'node:fs';
import { seedFile } from '../../seed-data.ts';

export const seedGraph = (): Uint8Array => readFileSync(seedFile('optimized_WineQuality.pb'));

/** PMML-style names, as in the CSV's original header. */
export const CSV_FEATURES = [
  'fixed acidity', 'volatile acidity', 'citric acid', 'residual sugar', 'chlorides', 'free sulfur dioxide',
  'total sulfur dioxide', 'density', 'pH', 'sulphates', 'alcohol',
] as const;

/** The 1599 rows of winequality_red.csv: the 11 features as numbers, and the quality. */
export function seedRows(): { features: number[]; quality: number }[] {
  return readFileSync(seedFile('winequality_red.csv'), 'utf8').trim().split('\n').map((line) => {
    const cells = line.split(';').map(Number);
    return { features: cells.slice(0, 11), quality: cells[11]! };
  });
}

export function asRecord(features: readonly number[]): { [name: string]: number } {
  return Object.fromEntries(CSV_FEATURES.map((name, i) => [name, features[i]!]));
}

/** Options for the seed graph: its 11 inputs by CSV name (its input and output nodes are found in the graph). */
export const SEED = { features: CSV_FEATURES } as const;
