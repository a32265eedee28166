// The PMML evaluator's entry point, as the model registry imports it.
export { loadPmml } from './load.ts';
export type { LoadPmmlOptions } from './load.ts';
