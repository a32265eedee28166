// Model families by PMML element name. A model element not listed here is rejected at load.
import type { ModelFamily } from './family.ts';
import { associationFamily } from './association/family.ts';
import { clusteringFamily } from './clustering/family.ts';
import { generalRegressionFamily } from './general-regression/family.ts';
import { miningFamily } from './mining/family.ts';
import { naiveBayesFamily } from './naive-bayes/family.ts';
import { nearestNeighborFamily } from './nearest-neighbor/family.ts';
import { neuralNetworkFamily } from './neural-network/family.ts';
import { regressionFamily } from './regression/family.ts';
import { ruleSetFamily } from './rule-set/family.ts';
import { scorecardFamily } from './scorecard/family.ts';
import { supportVectorMachineFamily } from './support-vector-machine/family.ts';
import { treeFamily } from './tree/family.ts';

export const FAMILIES: ReadonlyMap<string, ModelFamily> = new Map(
  [
    treeFamily, regressionFamily, miningFamily, generalRegressionFamily, neuralNetworkFamily, scorecardFamily, naiveBayesFamily, ruleSetFamily,
    clusteringFamily, supportVectorMachineFamily, nearestNeighborFamily, associationFamily,
  ].map((f) => [f.element, f]),
);
