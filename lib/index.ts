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
export { Topology } from './streams/topology.ts';
export type { SourceOptions, SinkOptions, GlobalStoreOptions, StreamPartitioner } from './streams/topology.ts';
export { StreamsBuilder } from './streams/dsl/streams-builder.ts';
export type { ConsumedOptions } from './streams/dsl/streams-builder.ts';
export { KStream } from './streams/dsl/kstream.ts';
export type { Named, ProducedOptions } from './streams/dsl/kstream.ts';
export { TopologyError, ProcessingError, StreamsError } from './streams/api/errors.ts';
export { logAndContinue, logAndFail } from './streams/api/handlers.ts';
export type { ExceptionHandler, ErrorSite, HandlerResponse } from './streams/api/handlers.ts';

// testing: the in-process driver and a context for unit-testing one processor
export { TopologyTestDriver } from './testing/topology-test-driver.ts';
export type { TestDriverOptions } from './testing/topology-test-driver.ts';
export { TestInputTopic, TestOutputTopic } from './testing/test-topics.ts';
export type { TestRecord } from './testing/test-topics.ts';
export { MockProcessorContext } from './testing/mock-processor-context.ts';
export type { CapturedForward, CapturedPunctuator, LoggedChange } from './testing/mock-processor-context.ts';

// runtime: running a topology over Kafka
export { KafkaStreams, MissingSourceTopicError } from './runtime/kafka-streams.ts';
export type { StreamsState, StateListener, StreamsMetrics } from './runtime/kafka-streams.ts';
export { StreamsConfigError } from './runtime/config.ts';
export type { StreamsConfig } from './runtime/config.ts';
export type { StreamsMetadata, KeyQueryMetadata, HostInfo } from './runtime/metadata.ts';

// state: store contracts and the built-in stores
export { InvalidStateStoreError } from './state/api/store.ts';
export type {
  StateStore, StateStoreContext, RestoreCallback, ReadOnlyKeyValueStore, KeyValueStore,
  KeyValueBytesStore, KeyValueBytesStoreSupplier, StoreBuilder, CommitHooks,
} from './state/api/store.ts';
export { WrappedStateStore, WrappedKeyValueStore } from './state/wrapped-store.ts';
export { Stores } from './state/stores.ts';
export type { KeyValueStoreBuilder } from './state/stores.ts';
export type { LevelDbStoreOptions } from './state/stores/leveldb.ts';

// models: the Model contract, PMML and TensorFlow
export { ModelLoadError, RecordError } from './models/api/model.ts';
export type { Model, ModelKind, Prediction, ScoreOutcome, FeatureRecord, FeatureValue } from './models/api/model.ts';
// models: the PMML evaluator
export { loadPmml } from './models/pmml/load.ts';
export type { LoadPmmlOptions } from './models/pmml/load.ts';
// models: protobuf messages of the serving application (proto/*.proto)
export {
  ModelType, MessageDecodeError, WINE_FEATURES, messageCodecs,
  encodeWineRecord, decodeWineRecord, encodeModelDescriptor, decodeModelDescriptor, encodeServingResult, decodeServingResult,
} from './models/proto/messages.ts';
export type { WineRecord, ModelDescriptor, ServingResult, ServingOutcome, DecodeOptions } from './models/proto/messages.ts';
// models: TensorFlow scoring and the ModelType → factory registry
export { loadTensorFlow, loadTensorFlowJs, tensorflowBackend } from './models/tensorflow/index.ts';
export type { TensorFlowOptions, TensorFlowJsSource, PostProcessing, TensorFlowBackend, TensorFlowModel } from './models/tensorflow/index.ts';
export { modelFromDescriptor, registerModelFactory, modelRegistry, ModelRegistry, tensorflowFactory, pmmlFactory } from './models/registry.ts';
export type { ModelFactory } from './models/registry.ts';

// broker: the embedded single-node Kafka broker
export { startBroker } from './broker/server.ts';
export type { BrokerOptions, RunningBroker } from './broker/server.ts';

// query: the interactive-query HTTP server (hono)
export { startQueryServer, openQueryServer, QueryServerListenError, DEFAULT_QUERY_PORT } from './query/server.ts';
export type { QueryServer, QueryServerOptions, QueryTarget, InstanceInfo, InstanceStats, AllInstanceStats, Health } from './query/api.ts';
// client: the data provider and the results reader (the tutorial's client)
export { startProvider } from './client/provider.ts';
export type { ProviderOptions, RecordsPlan, ModelsPlan, RunningProvider, ProviderCounts } from './client/provider.ts';
export { startReader, formatResult } from './client/reader.ts';
export type { ReaderOptions, RunningReader } from './client/reader.ts';
export { readWineCsv, modelFilesIn, descriptorForFile, ProviderInputError } from './client/sources.ts';
export type { DescriptorOptions } from './client/sources.ts';
