// Models and records for the serving topology tests: the seed data read in place when present,
// else the project's own demo data (data/) of the same layout. A run that requires the seed
// (MODELSTREAM_REQUIRE_SEED=1) fails here rather than quietly scoring the demo data.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Serdes, type StateStore } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';
import { ModelType, WINE_FEATURES, messageCodecs, type ModelDescriptor, type WineRecord } from '../../topologies/codecs/messages.ts';
import type { LocalStores } from '../../topologies/index.ts';
import { presentUnlessRequired, seed, seedFile } from '../requirements.ts';

const dataDir = fileURLToPath(new URL('../../data/', import.meta.url));

export const files = presentUnlessRequired(seed, 'the serving tests use the demo data in data/')
  ? {
    source: 'seed-data',
    tree: seedFile('winequalityDecisionTreeClassification.pmml'),
    linear: seedFile('winequalityLinearRegression.pmml'),
    tensorflow: seedFile('optimized_WineQuality.pb'),
    csv: seedFile('winequality_red.csv'),
  }
  : {
    source: 'data',
    tree: `${dataDir}models/wine-tree-classification.pmml`,
    linear: `${dataDir}models/wine-linear-regression.pmml`,
    tensorflow: `${dataDir}models/wine-tf.pb`,
    csv: `${dataDir}wine.csv`,
  };

/** The first `n` rows of the CSV (11 features then quality, `;`-separated) as WineRecords. */
export function wineRecords(n: number, dataType = 'wine'): WineRecord[] {
  const lines = readFileSync(files.csv, 'utf8').trim().split('\n').slice(0, n);
  return lines.map((line) => {
    const cells = line.split(';').map(Number);
    const record: { [k: string]: number | string } = { dataType };
    WINE_FEATURES.forEach((f, i) => { record[f] = cells[i]!; });
    return record as unknown as WineRecord;
  });
}

export function pmmlDescriptor(path: string, dataType: string, name: string, description: string): ModelDescriptor {
  return { name, description, dataType, modelType: ModelType.PMML, data: readFileSync(path) };
}

export function tensorflowByLocation(dataType: string, name: string, description: string, location = files.tensorflow): ModelDescriptor {
  return { name, description, dataType, modelType: ModelType.TENSORFLOW, location };
}

export const serdes = {
  string: Serdes.String(),
  bytes: Serdes.Bytes(),
  wine: Serdes.Protobuf(messageCodecs.WineRecord),
  descriptor: Serdes.Protobuf(messageCodecs.ModelDescriptor),
  result: Serdes.Protobuf(messageCodecs.ServingResult),
};

/** `localStats` over a test driver's stores (one task per store there). */
export function driverStores(driver: TopologyTestDriver): LocalStores {
  return { localStores: <S extends StateStore = StateStore>(name: string): S[] => [driver.getStateStore<S>(name)] };
}
