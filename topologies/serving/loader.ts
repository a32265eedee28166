// How the serving topologies turn descriptors into models by default.
import {
  ModelRegistry, ModelType, loadPmml, modelFromDescriptor, tensorflowFactory,
  type ModelDescriptor, type Model,
} from '../../lib/index.ts';

// The library's default registry loads PMML through lib/models/pmml/index.ts, which does not
// exist yet; this one calls loadPmml directly. Switch to `modelRegistry` once it does.
const servingRegistry = new ModelRegistry()
  .register(ModelType.TENSORFLOW, tensorflowFactory())
  .register(ModelType.PMML, { name: 'PMML', fromData: (data) => loadPmml(data) });

/** PMML and TensorFlow, by value (`data`) or by file path (`location`). */
export function defaultModelLoader(descriptor: ModelDescriptor): Promise<Model> {
  return modelFromDescriptor(descriptor, servingRegistry);
}
