// The public API of modelstream, by name. Anything not exported here is internal.

// streams: records, processors, serdes, topologies, DSL
export { Record } from './streams/api/record.ts';
export type { KeyValue, Header, Headers } from './streams/api/record.ts';
export type {
  Processor, ProcessorContext, ProcessorSupplier, Punctuator, PunctuationType, Cancellable, RecordMetadata,
} from './streams/api/processor.ts';
export { DeserializationError } from './streams/api/serde.ts';
export type { Serde } from './streams/api/serde.ts';
export { Serdes } from './streams/serdes.ts';
export type { ProtobufCodec } from './streams/serdes.ts';

// state: store contracts and the built-in stores
export { InvalidStateStoreError } from './state/api/store.ts';
export type {
  StateStore, StateStoreContext, RestoreCallback, ReadOnlyKeyValueStore, KeyValueStore,
  KeyValueBytesStore, KeyValueBytesStoreSupplier, StoreBuilder,
} from './state/api/store.ts';

// models: the Model contract, PMML and TensorFlow
export { ModelLoadError, RecordError } from './models/api/model.ts';
export type { Model, ModelKind, Prediction, ScoreOutcome, FeatureRecord, FeatureValue } from './models/api/model.ts';
