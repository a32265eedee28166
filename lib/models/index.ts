// `modelstream/models`: the Model contract, the PMML evaluator, TensorFlow scoring and a registry
// that loads a model by type number from bytes or a file path; ONNX through ONNX Runtime.
export { ModelLoadError, RecordError } from './api/model.ts';
export type { Model, ModelKind, Prediction, ScoreOutcome, FeatureRecord, FeatureValue } from './api/model.ts';
export { loadPmml } from './pmml/load.ts';
export type { LoadPmmlOptions } from './pmml/load.ts';
export { loadTensorFlow, loadTensorFlowJs, tensorflowBackend } from './tensorflow/index.ts';
export type { TensorFlowOptions, TensorFlowJsSource, PostProcessing, TensorFlowBackend, TensorFlowModel } from './tensorflow/index.ts';
export { loadOnnx, encodeDenseOnnx } from './onnx/index.ts';
export type { OnnxOptions, OnnxModel, DenseOnnxModel, DenseOnnxLayer, DenseOnnxActivation } from './onnx/index.ts';
export { ModelRegistry, tensorflowFactory, pmmlFactory, onnxFactory } from './registry.ts';
export type { ModelFactory, ModelSource } from './registry.ts';
