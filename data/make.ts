// Makes the demo data the project ships, deterministically: data/wine.csv (wine-like records
// from a seeded PRNG) and, trained on them here, one PMML model per family in data/models/.
// Run: node --import tsx data/make.ts   (data/make-tensorflow.ts makes the TensorFlow graph.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { fitGammaLog, fitOls, scaling } from './make/linear.ts';
import { trainMlp } from './make/mlp.ts';
import { forestPmml, gammaLogPmml, mlpPmml, regressionPmml, treePmml } from './make/pmml.ts';
import { growTree } from './make/tree.ts';
import { makeWines, prng, toCsv } from './make/wine.ts';

const here = (path: string) => new URL(path, import.meta.url).pathname;
const ROWS = 2000;

const wines = makeWines(ROWS, 20240611);
writeFileSync(here('./wine.csv'), toCsv(wines));

const xs = wines.map((w) => w.x);
const quality = wines.map((w) => w.quality);
const labels = quality.map(String);
const classes = [...new Set(labels)].sort();
mkdirSync(here('./models'), { recursive: true });
const write = (name: string, xml: string) => {
  writeFileSync(here(`./models/${name}`), xml);
  console.log(`data/models/${name}`);
};

const ols = fitOls(xs, quality);
write('wine-linear-regression.pmml', regressionPmml(ols.intercept, ols.slopes));

const glm = fitGammaLog(xs, quality);
write('wine-glm-gamma-log.pmml', gammaLogPmml(glm.intercept, glm.slopes));

write('wine-tree-classification.pmml', treePmml(growTree(xs, labels, classes, { maxDepth: 5, minLeaf: 10 }), classes));

// Forest: bootstrap samples and 3 of the 11 features per split, one seeded PRNG for both.
const rnd = prng(7);
const trees = Array.from({ length: 7 }, () => {
  const idx = xs.map(() => Math.floor(rnd() * xs.length));
  return growTree(idx.map((i) => xs[i]!), idx.map((i) => labels[i]!), classes, { maxDepth: 4, minLeaf: 5, featuresPerSplit: 3, rnd });
});
write('wine-forest-classification.pmml', forestPmml(trees, classes));

const s = scaling(xs);
const qMean = quality.reduce((a, b) => a + b, 0) / quality.length;
const qSd = Math.sqrt(quality.reduce((a, b) => a + (b - qMean) ** 2, 0) / quality.length);
const z = xs.map((x) => x.map((v, j) => (v - s.mean[j]!) / s.sd[j]!));
const net = trainMlp(z, quality.map((q) => (q - qMean) / qSd), 6, 300, prng(11));
write('wine-mlp-regression.pmml', mlpPmml(net, s, { mean: qMean, sd: qSd }));

console.log(`data/wine.csv: ${ROWS} records, quality ${classes.join('/')}`);
