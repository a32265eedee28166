// PMML 4.3 writers for the demo models: one function per model family, over the wine features.
import type { Mlp } from './mlp.ts';
import type { Scaling } from './linear.ts';
import type { TreeNode } from './tree.ts';
import { FEATURES } from './wine.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function document(description: string, dictionary: string, model: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<PMML xmlns="http://www.dmg.org/PMML-4_3" version="4.3">
  <Header description="${esc(description)}">
    <Application name="modelstream data/make.ts" version="1"/>
  </Header>
  <DataDictionary>
${dictionary}
${FEATURES.map((f) => `    <DataField name="${f}" optype="continuous" dataType="double"/>`).join('\n')}
  </DataDictionary>
${model}
</PMML>
`;
}

const QUALITY_CONTINUOUS = '    <DataField name="quality" optype="continuous" dataType="double"/>';
const qualityCategorical = (classes: readonly string[]) =>
  `    <DataField name="quality" optype="categorical" dataType="string">\n${classes.map((c) => `      <Value value="${c}"/>`).join('\n')}\n    </DataField>`;

function miningSchema(indent: string): string {
  return `${indent}<MiningSchema>
${indent}  <MiningField name="quality" usageType="target"/>
${FEATURES.map((f) => `${indent}  <MiningField name="${f}"/>`).join('\n')}
${indent}</MiningSchema>`;
}

export function regressionPmml(intercept: number, slopes: readonly number[]): string {
  return document('Linear regression of quality (least squares on data/wine.csv)', QUALITY_CONTINUOUS, `  <RegressionModel functionName="regression">
${miningSchema('    ')}
    <RegressionTable intercept="${intercept}">
${slopes.map((b, j) => `      <NumericPredictor name="${FEATURES[j]}" coefficient="${b}"/>`).join('\n')}
    </RegressionTable>
  </RegressionModel>`);
}

export function gammaLogPmml(intercept: number, slopes: readonly number[]): string {
  const params = [intercept, ...slopes];
  return document('Gamma GLM with a log link for quality (IRLS on data/wine.csv)', QUALITY_CONTINUOUS, `  <GeneralRegressionModel modelType="generalizedLinear" functionName="regression" linkFunction="log" distribution="gamma">
${miningSchema('    ')}
    <ParameterList>
${params.map((_, i) => `      <Parameter name="p${i}"${i === 0 ? ' label="(intercept)"' : ''}/>`).join('\n')}
    </ParameterList>
    <CovariateList>
${FEATURES.map((f) => `      <Predictor name="${f}"/>`).join('\n')}
    </CovariateList>
    <PPMatrix>
${FEATURES.map((f, j) => `      <PPCell value="1" predictorName="${f}" parameterName="p${j + 1}"/>`).join('\n')}
    </PPMatrix>
    <ParamMatrix>
${params.map((b, i) => `      <PCell parameterName="p${i}" df="1" beta="${b}"/>`).join('\n')}
    </ParamMatrix>
  </GeneralRegressionModel>`);
}

function nodeXml(node: TreeNode, predicate: string, indent: string): string {
  const total = [...node.counts.values()].reduce((a, b) => a + b, 0);
  const dist = [...node.counts].map(([l, c]) => `${indent}  <ScoreDistribution value="${l}" recordCount="${c}"/>`).join('\n');
  const children = node.split
    ? '\n' + nodeXml(node.split.left, `<SimplePredicate field="${FEATURES[node.split.feature]}" operator="lessOrEqual" value="${node.split.threshold}"/>`, indent + '  ')
      + '\n' + nodeXml(node.split.right, `<SimplePredicate field="${FEATURES[node.split.feature]}" operator="greaterThan" value="${node.split.threshold}"/>`, indent + '  ')
    : '';
  return `${indent}<Node score="${node.score}" recordCount="${total}">
${indent}  ${predicate}
${dist}${children}
${indent}</Node>`;
}

function treeModelXml(tree: TreeNode, indent: string): string {
  return `${indent}<TreeModel functionName="classification" splitCharacteristic="binarySplit">
${miningSchema(indent + '  ')}
${nodeXml(tree, '<True/>', indent + '  ')}
${indent}</TreeModel>`;
}

export function treePmml(tree: TreeNode, classes: readonly string[]): string {
  return document('Classification tree for quality (CART, Gini, on data/wine.csv)', qualityCategorical(classes), treeModelXml(tree, '  '));
}

export function forestPmml(trees: readonly TreeNode[], classes: readonly string[]): string {
  const segments = trees.map((t, i) => `      <Segment id="${i + 1}">
        <True/>
${treeModelXml(t, '        ')}
      </Segment>`).join('\n');
  return document(`Random forest of ${trees.length} trees for quality (bootstrap, feature subsets, on data/wine.csv)`, qualityCategorical(classes), `  <MiningModel functionName="classification">
${miningSchema('    ')}
    <Segmentation multipleModelMethod="average">
${segments}
    </Segmentation>
  </MiningModel>`);
}

/** Inputs standardized by NormContinuous; the output mapped back over a range wide enough never to clip. */
export function mlpPmml(net: Mlp, inputs: Scaling, target: { mean: number; sd: number }): string {
  const neuralInputs = FEATURES.map((f, j) => `      <NeuralInput id="i${j}">
        <DerivedField optype="continuous" dataType="double">
          <NormContinuous field="${f}">
            <LinearNorm orig="${inputs.mean[j]}" norm="0"/>
            <LinearNorm orig="${inputs.mean[j]! + inputs.sd[j]!}" norm="1"/>
          </NormContinuous>
        </DerivedField>
      </NeuralInput>`).join('\n');
  const hidden = net.hidden.map((w, k) => `      <Neuron id="h${k}" bias="${w[0]}">
${FEATURES.map((_, j) => `        <Con from="i${j}" weight="${w[j + 1]}"/>`).join('\n')}
      </Neuron>`).join('\n');
  const out = net.output;
  return document('Perceptron (11-tanh(6)-1) regression of quality, trained on data/wine.csv', QUALITY_CONTINUOUS, `  <NeuralNetwork functionName="regression" activationFunction="tanh">
${miningSchema('    ')}
    <NeuralInputs numberOfInputs="${FEATURES.length}">
${neuralInputs}
    </NeuralInputs>
    <NeuralLayer numberOfNeurons="${net.hidden.length}">
${hidden}
    </NeuralLayer>
    <NeuralLayer numberOfNeurons="1" activationFunction="identity">
      <Neuron id="o0" bias="${out[0]}">
${net.hidden.map((_, k) => `        <Con from="h${k}" weight="${out[k + 1]}"/>`).join('\n')}
      </Neuron>
    </NeuralLayer>
    <NeuralOutputs numberOfOutputs="1">
      <NeuralOutput outputNeuron="o0">
        <DerivedField optype="continuous" dataType="double">
          <NormContinuous field="quality">
            <LinearNorm orig="${target.mean - 1000 * target.sd}" norm="-1000"/>
            <LinearNorm orig="${target.mean + 1000 * target.sd}" norm="1000"/>
          </NormContinuous>
        </DerivedField>
      </NeuralOutput>
    </NeuralOutputs>
  </NeuralNetwork>`);
}
