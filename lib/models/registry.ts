// From a model source to a loaded Model: a factory per model type number (the application
// picks the numbers), models passed by value (`data`) or by reference (`location`, a file
// path). Every failure is a ModelLoadError that names the model, so that a serving app can keep
// its previous model.
import { readFile, stat } from 'node:fs/promises';
import { ModelLoadError, type Model } from './api/model.ts';
import { loadPmml } from './pmml/index.ts';
import { loadTensorFlow, loadTensorFlowJs, type TensorFlowOptions } from './tensorflow/index.ts';
import { loadOnnx, type OnnxOptions } from './onnx/index.ts';

/** What a registry loads: a model type number and the model by value or by file path. */
export interface ModelSource {
  /** Names the model in errors. */
  readonly name: string;
  readonly modelType: number;
  readonly data?: Uint8Array;
  readonly location?: string;
  /** Named in errors when given (what the model scores, e.g. a dataType). */
  readonly dataType?: string;
}

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

  async load(descriptor: ModelSource): Promise<Model> {
    const what = `model '${descriptor.name}'${descriptor.dataType === undefined ? '' : ` for dataType '${descriptor.dataType}'`}`;
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
export function tensorflowFactory(options: TensorFlowOptions): ModelFactory {
  return {
    name: 'TensorFlow',
    fromData: (data) => loadTensorFlow(data, options),
    async fromLocation(path) {
      if (path.endsWith('.json') || (await stat(path)).isDirectory()) return loadTensorFlowJs(path, options);
      return loadTensorFlow(await readFile(path), options);
    },
  };
}

/** PMML documents, through `loadPmml`. */
export function pmmlFactory(): ModelFactory {
  return { name: 'PMML', fromData: (data) => loadPmml(data) };
}

/** ONNX models (`.onnx` ModelProto bytes, by value or path), scored with ONNX Runtime. */
export function onnxFactory(options: OnnxOptions): ModelFactory {
  return { name: 'ONNX', fromData: (data) => loadOnnx(data, options) };
}
