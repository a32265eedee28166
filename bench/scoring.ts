// Per-record scoring latency on the seed models, all rows of the seed CSV: our PMML evaluator
// (single `score` calls and `scoreBatch`) against JPMML-Evaluator (single calls after a JIT
// warm-up, one JVM per model), and the TensorFlow graph through TensorFlow.js, single and in
// batches of 256. Medians per record.
// Run: node --import tsx bench/scoring.ts [--quick]
import { benchJpmml } from './jpmml.ts';
import { benchPmml } from './pmml.ts';
import { benchTensorFlow } from './tensorflow.ts';
import { seedFile } from '../test/seed-data.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/scoring.ts',
  summary: 'Per-record scoring latency on the seed models: our PMML evaluator (single and batched) vs\nJPMML-Evaluator (single, after a JIT warm-up), and the TensorFlow graph, single and batched.',
  options: {
    quick: { type: 'boolean', description: 'one pass, one model per family, a short warm-up' },
    brokers: { type: 'string', value: 'brokers', description: 'accepted and ignored (no broker is used)' },
  },
  examples: ['node --import tsx bench/scoring.ts --quick'],
});
const quick = flags.quick ?? false;
const passes = quick ? 1 : 3;
const warmupMs = quick ? 300 : 1000;

// The quick run measures one model per family the serving benchmarks use.
const only = quick ? ['winequalityDecisionTreeClassification.pmml', 'winequalityMultilayerPerceptron.pmml', 'winequalityRandonForrestClassification.pmml'] : undefined;
const short = (file: string) => file.replace(/^winequality/, '').replace(/\.pmml$/, '');
const ours = benchPmml({ passes, warmupMs, ...(only ? { only } : {}) });
const jpmml = await benchJpmml({ passes, warmupMs, ...(only ? { only } : {}) });
const figures: Figure[] = [];
for (const o of ours) {
  const j = jpmml.find((r) => r.model === o.model);
  const peer = j ? { peer: { name: 'JPMML', value: j.medianUs } } : {};
  figures.push({ group: 'PMML scoring per record, single calls', name: short(o.model), unit: 'µs', ours: o.single.medianNs / 1000, ...peer, target: { ratioMax: 1 } });
  figures.push({ group: 'PMML scoring per record, batched (vs JPMML single)', name: short(o.model), unit: 'µs', ours: o.batched.medianNs / 1000, ...peer });
}
const tf = await benchTensorFlow({ passes: quick ? 2 : 10, ...(quick ? { graphs: { 'seed optimized_WineQuality.pb': seedFile('optimized_WineQuality.pb') } } : {}) });
for (const r of tf.rows) {
  figures.push({ group: 'TensorFlow scoring per record', name: `${r.graph}, single`, unit: 'µs', ours: r.singleMedianUs, note: `tfjs backend ${tf.backend}` });
  figures.push({ group: 'TensorFlow scoring per record', name: `${r.graph}, batches of ${r.batchSize}`, unit: 'µs', ours: r.batchedMedianUs, target: { max: 10 } });
}
emitFigures(figures);
