// From a ModelDescriptor to a loaded Model (DESIGN.md §6): a factory per ModelType, models
// passed by value (`data`) or by reference (`location`, a file path). Every failure is a
// ModelLoadError that names the model, so that a serving app can keep its previous model.
import { readFile, stat } from 'node:fs/promises';
import { ModelLoadError, type Model } from './api/model.ts';
import { ModelType, type ModelDescriptor } from './proto/messages.ts';
import { loadTensorFlow, loadTensorFlowJs, type TensorFlowOptions } from './tensorflow/index.ts';

/** Loads one kind of model. */
export interface ModelFactory {
  /** Names the kind in messages, e.g. 'TensorFlow'. */
  readonly name: string;
  fromData(data: Uint8Array): Model | Promise<Model>;
  /** Loads from an existing file or directory; without it, the file's bytes go to `fromData`. */
  fromLocation?(path: string): Model | Promise<Model>;
}

export class ModelRegistry {
  readonly #factories = new Map<number, ModelFactory>();

  /** Registers (or replaces) the factory for a model type number. */
  register(type: number, factory: ModelFactory): this {
    if (!Number.isInteger(type)) throw new TypeError(`a model type is an integer, not ${type}`);
    this.#factories.set(type, factory);
    return this;
  }

  factory(type: number): ModelFactory | undefined {
    return this.#factories.get(type);
  }

  types(): number[] {
    return [...this.#factories.keys()].sort((a, b) => a - b);
  }

  async load(descriptor: ModelDescriptor): Promise<Model> {
    const what = `model '${descriptor.name}' for dataType '${descriptor.dataType}'`;
    const factory = this.#factories.get(descriptor.modelType);
    if (!factory) {
      throw new ModelLoadError(`${what}: unknown model type ${descriptor.modelType} (known: ${this.types().join(', ')})`);
    }
    try {
      if (descriptor.data !== undefined) return await factory.fromData(descriptor.data);
      const path = descriptor.location;
      if (!path) throw new ModelLoadError('the descriptor has neither data nor a location');
      await stat(path).catch((cause: unknown) => {
        throw new ModelLoadError(`location '${path}' does not exist or cannot be read`, { cause });
      });
      if (factory.fromLocation) return await factory.fromLocation(path);
      return await factory.fromData(await readFile(path));
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new ModelLoadError(`${what} (${factory.name}) cannot be loaded: ${why}`, { cause });
    }
  }
}

/** TensorFlow: a frozen GraphDef by value or path; a tfjs model.json file or its directory by path. */
export function tensorflowFactory(options: TensorFlowOptions = {}): ModelFactory {
  return {
    name: 'TensorFlow',
    fromData: (data) => loadTensorFlow(data, options),
    async fromLocation(path) {
      if (path.endsWith('.json') || (await stat(path)).isDirectory()) return loadTensorFlowJs(path, options);
      return loadTensorFlow(await readFile(path), options);
    },
  };
}

/** PMML, through `loadPmml` of lib/models/pmml/index.ts. */
export function pmmlFactory(): ModelFactory {
  return { name: 'PMML', fromData: async (data) => (await pmmlLoader())(data) };
}

type PmmlLoader = (xml: string | Uint8Array) => Model;
let pmml: Promise<PmmlLoader> | undefined;

function pmmlLoader(): Promise<PmmlLoader> {
  // Imported on first use by a variable specifier, so that this module neither waits for nor
  // type-checks against the PMML evaluator, which is developed alongside.
  const specifier = './pmml/index.ts';
  pmml ??= import(specifier).then((module: { loadPmml?: PmmlLoader }) => {
    if (typeof module.loadPmml !== 'function') throw new Error('lib/models/pmml/index.ts exports no loadPmml');
    return module.loadPmml;
  });
  return pmml.catch((cause: unknown) => {
    pmml = undefined;
    throw new ModelLoadError(`PMML support is not available: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  });
}

/** The registry that `modelFromDescriptor` uses by default: TENSORFLOW and PMML. */
export const modelRegistry = new ModelRegistry()
  .register(ModelType.TENSORFLOW, tensorflowFactory())
  .register(ModelType.PMML, pmmlFactory());

/** Registers (or replaces) a factory in the default registry, e.g. for a new model type number. */
export function registerModelFactory(type: number, factory: ModelFactory): void {
  modelRegistry.register(type, factory);
}

/** Loads the model a descriptor carries or points to. */
export function modelFromDescriptor(descriptor: ModelDescriptor, registry: ModelRegistry = modelRegistry): Promise<Model> {
  return registry.load(descriptor);
}
