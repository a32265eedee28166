// `modelstream`: streams, state and the Kafka runtime, by name. Anything not exported here or by
// the other entry files (lib/testing, lib/broker, lib/models, lib/query) is internal.

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
export type { TableOptions } from './streams/dsl/streams-builder.ts';
export { KStream } from './streams/dsl/kstream.ts';
export type { ProducedOptions } from './streams/dsl/kstream.ts';
export type { Named, Materialized, Grouped, Repartitioned, Joined, StreamJoined } from './streams/dsl/options.ts';
export { KTable } from './streams/dsl/ktable.ts';
export type { TableOperatorOptions } from './streams/dsl/ktable.ts';
export { KGroupedStream } from './streams/dsl/kgrouped-stream.ts';
export { KGroupedTable } from './streams/dsl/kgrouped-table.ts';
export { GlobalKTable } from './streams/dsl/global-ktable.ts';
export type { GlobalTableMaintainer, MaintainedGlobalTableOptions } from './streams/dsl/maintained-global-table.ts';
export { BranchedKStream } from './streams/dsl/branched.ts';
export type { Branched } from './streams/dsl/branched.ts';
export { TimeWindowedKStream, SessionWindowedKStream } from './streams/dsl/windowed-kstream.ts';
export { TimeWindows, SlidingWindows, SessionWindows, JoinWindows, WindowedSerdes } from './streams/dsl/windows.ts';
export { Suppressed } from './streams/dsl/suppress.ts';
export type { Change } from './streams/dsl/change.ts';
export { TopologyError, ProcessingError, StreamsError } from './streams/api/errors.ts';
export { logAndContinue, logAndFail, logAndSkipProduction } from './streams/api/handlers.ts';
export type { ExceptionHandler, ErrorSite, HandlerResponse, ProductionExceptionHandler, ProductionErrorSite } from './streams/api/handlers.ts';

// runtime: running a topology over Kafka
export { KafkaStreams, MissingSourceTopicError } from './runtime/kafka-streams.ts';
export type { StreamsState, StateListener, StreamsMetrics } from './runtime/kafka-streams.ts';
export { StreamsConfigError } from './runtime/config.ts';
export { StateDirError } from './runtime/state-dir.ts';
export type { BrokerConnection } from './runtime/connection.ts';
export { ProductionError } from './runtime/produce-errors.ts';
export type { ProcessingGuarantee, StreamsConfig } from './runtime/config.ts';
export { ensureTopics, TopicsNotReadyError } from './runtime/topic-creation.ts';
export type { EnsureTopicsOptions } from './runtime/topic-creation.ts';
export type { StreamsMetadata, KeyQueryMetadata, HostInfo } from './runtime/metadata.ts';
// several stream threads in one instance (num.stream.threads), each built from a topology module
export { ThreadedStreams, CrossThreadStoreError } from './runtime/threads/threaded-streams.ts';
export type { StreamThreadInfo } from './runtime/threads/threaded-streams.ts';
export { StreamThreadFailedError, StreamThreadUnavailableError } from './runtime/threads/thread-handle.ts';
export { TopologyModuleError } from './runtime/threads/factory.ts';
export type { TopologyModule, TopologyFactory, ThreadTopology, ThreadQuery, ThreadHandlers, ThreadContext } from './runtime/threads/factory.ts';
export type { StoreQuery, StoreQueryResult } from './runtime/threads/thread-reads.ts';
export { PublishedStore, sameSnapshots } from './runtime/threads/published.ts';
export type { PublishedStoreSpec, PublishedSnapshot, PublishedView } from './runtime/threads/published.ts';

// state: store contracts and the built-in stores
export { InvalidStateStoreError, StoreTypeError } from './state/api/store.ts';
export type {
  StateStore, StateStoreContext, RestoreCallback, ReadOnlyKeyValueStore, KeyValueStore,
  KeyValueBytesStore, KeyValueBytesStoreSupplier, StoreBuilder, CommitHooks,
} from './state/api/store.ts';
export { WrappedStateStore, WrappedKeyValueStore } from './state/wrapped-store.ts';
export { Stores } from './state/stores.ts';
export type { KeyValueStoreBuilder, WindowBytesStoreSupplier, SessionBytesStoreSupplier, WindowStoreSupplierOptions } from './state/stores.ts';
export type {
  Window, Windowed, ValueAndTimestamp, WindowEntry, ReadOnlyWindowStore, WindowStore, ReadOnlySessionStore, SessionStore,
} from './state/api/window-store.ts';
export type { TimestampedKeyValueStore } from './state/timestamped.ts';
export { LayeredStoreBuilder } from './state/layered-builder.ts';
export type { LevelDbStoreOptions } from './state/stores/leveldb.ts';
// A strict protobuf wire-format check, for codecs that must reject what protobufjs would decode anyway
export { checkWireFormat } from './streams/protobuf-wire.ts';
export type { WireCheckOptions } from './streams/protobuf-wire.ts';
