package org.modelstream.peer;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The kv serving topology's work on Kafka Streams: models from the models topic into a global
 * store (every instance sees every dataType's model), each record of the data topic scored by
 * JPMML-Evaluator with its dataType's model, one ServingResult per record to the results topic,
 * and per-task statistics in a persistent (RocksDB, changelogged) store.
 *
 * Flags: --brokers --application-id --state-dir --threads --commit-interval-ms --linger-ms --replication-factor
 *        --data-topic --models-topic --results-topic. Prints "state RUNNING" when running;
 * stops cleanly on SIGTERM.
 */
public final class ServingPeer {

	static final String MODELS_STORE = "kv-models";
	static final String STATS_STORE = "kv-stats";

	public static void main(String[] args) throws Exception {
		Map<String, String> flags = parse(args);
		String dataTopic = flags.getOrDefault("data-topic", "models_data");
		String modelsTopic = flags.getOrDefault("models-topic", "models_models");
		String resultsTopic = flags.getOrDefault("results-topic", "models_results");

		Properties props = new Properties();
		props.put(StreamsConfig.APPLICATION_ID_CONFIG, flags.getOrDefault("application-id", "kafka-streams-peer"));
		props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, flags.getOrDefault("brokers", "localhost:9092"));
		props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.parseInt(flags.getOrDefault("threads", "1")));
		if (flags.containsKey("state-dir")) props.put(StreamsConfig.STATE_DIR_CONFIG, flags.get("state-dir"));
		// An explicit factor: brokers that only speak CreateTopics v3 (modelstream's embedded one)
		// cannot take the broker-default (-1) that Kafka Streams asks for otherwise.
		if (flags.containsKey("replication-factor")) props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.parseInt(flags.get("replication-factor")));
		if (flags.containsKey("commit-interval-ms")) props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(flags.get("commit-interval-ms")));
		// Kafka Streams overrides its producer's linger.ms to 100 ms; a latency run may set the
		// plain producer's default of Kafka 4 (5 ms, KIP-1030) instead.
		if (flags.containsKey("linger-ms")) props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), Integer.parseInt(flags.get("linger-ms")));

		KafkaStreams streams = new KafkaStreams(topology(dataTopic, modelsTopic, resultsTopic), props);
		CountDownLatch closed = new CountDownLatch(1);
		streams.setStateListener((next, previous) -> {
			System.out.println("state " + next);
			System.out.flush();
			if (next == KafkaStreams.State.NOT_RUNNING || next == KafkaStreams.State.ERROR) closed.countDown();
		});
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			streams.close();
			closed.countDown();
		}));
		streams.start();
		closed.await();
	}

	static Topology topology(String dataTopic, String modelsTopic, String resultsTopic) {
		StreamsBuilder builder = new StreamsBuilder();
		// A global store's changelog is its source topic: logging must be off.
		StoreBuilder<KeyValueStore<String, byte[]>> models = Stores
				.keyValueStoreBuilder(Stores.persistentKeyValueStore(MODELS_STORE), Serdes.String(), Serdes.ByteArray())
				.withLoggingDisabled();
		builder.addGlobalStore(models, modelsTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()),
				() -> new ModelUpdateProcessor(MODELS_STORE));
		// Statistics are written per record; the record cache (off by default for Processor API
		// stores) keeps that to one RocksDB write and one changelog record per key and commit,
		// as ours writes them once per batch.
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS_STORE), Serdes.String(), Serdes.ByteArray())
				.withCachingEnabled());
		builder.stream(dataTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
				.process(() -> new ScoringProcessor(MODELS_STORE, STATS_STORE), STATS_STORE)
				.to(resultsTopic, Produced.with(Serdes.String(), Serdes.ByteArray()));
		return builder.build();
	}

	private static Map<String, String> parse(String[] args) {
		Map<String, String> flags = new HashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("expected --flag value, got " + args[i]);
			flags.put(args[i].substring(2), args[++i]);
		}
		return flags;
	}
}
