// The seed data (read-only, outside the repo): wine rows and the JPMML-SparkML PMML models.
import { readFileSync } from 'node:fs';
import { seedFile } from '../../../seed-data.ts';

export const FEATURES = [
  'fixed acidity', 'volatile acidity', 'citric acid', 'residual sugar', 'chlorides', 'free sulfur dioxide',
  'total sulfur dioxide', 'density', 'pH', 'sulphates', 'alcohol',
] as const;

export function seedPmml(name: string): string {
  return readFileSync(seedFile(name), 'utf8');
}

/** The CSV rows as records: 11 named features and "quality". */
export function seedRows(): { [name: string]: number }[] {
  const text = readFileSync(seedFile('winequality_red.csv'), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
    const cells = line.split(';').map(Number);
    const rec: { [name: string]: number } = {};
    FEATURES.forEach((f, i) => (rec[f] = cells[i] as number));
    rec.quality = cells[11] as number;
    return rec;
  });
}
