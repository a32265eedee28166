// The serving application's one model registry: ModelDescriptor.ModelType numbers to the
// library's factories. TensorFlow graphs are fed the wine features in the proto's field order;
// their input and output nodes are taken from the graph (its single Placeholder and final node);
// ONNX models likewise take the features in that order, from their single input.
import { ModelRegistry, onnxFactory, pmmlFactory, tensorflowFactory, type Model } from '../../lib/models/index.ts';
import { ModelType, WINE_FEATURES, type ModelDescriptor } from '../codecs/messages.ts';

export const servingModels = new ModelRegistry()
  .register(ModelType.TENSORFLOW, tensorflowFactory({ features: WINE_FEATURES }))
  .register(ModelType.PMML, pmmlFactory())
  .register(ModelType.ONNX, onnxFactory({ features: WINE_FEATURES }));

/** PMML, TensorFlow and ONNX, by value (`data`) or by file path (`location`). */
export function defaultModelLoader(descriptor: ModelDescriptor): Promise<Model> {
  return servingModels.load(descriptor);
}
