package org.modelstream.peer;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

import com.google.protobuf.InvalidProtocolBufferException;
import com.lightbend.model.Modeldescriptor.ModelDescriptor;
import com.lightbend.model.Servingresult.ServingResult;
import com.lightbend.model.Winerecord.WineRecord;

/**
 * Scores each WineRecord with its dataType's model and forwards a ServingResult keyed by
 * dataType. Statistics (records scored, total scoring ms) per dataType go to the task's store
 * on every record; the store's cache (statestore.cache.max.bytes) absorbs the writes until commit.
 */
final class ScoringProcessor implements Processor<byte[], byte[], String, byte[]> {

	private final String modelsStore;
	private final String statsStore;
	private ProcessorContext<String, byte[]> context;
	private KeyValueStore<String, byte[]> models;
	private KeyValueStore<String, byte[]> stats;
	/** This task's statistics mirrored: count and total ms per dataType. */
	private final Map<String, double[]> mirror = new HashMap<>();

	ScoringProcessor(String modelsStore, String statsStore) {
		this.modelsStore = modelsStore;
		this.statsStore = statsStore;
	}

	@Override
	public void init(ProcessorContext<String, byte[]> context) {
		this.context = context;
		this.models = context.getStateStore(modelsStore);
		this.stats = context.getStateStore(statsStore);
	}

	@Override
	public void process(Record<byte[], byte[]> record) {
		if (record.value() == null) return;
		WineRecord wine;
		try {
			wine = WineRecord.parseFrom(record.value());
		} catch (InvalidProtocolBufferException e) {
			return; // not a WineRecord: nothing to score
		}
		String dataType = wine.getDataType();
		PmmlModel model = modelFor(dataType);
		if (model == null) return; // no model yet: skipped, as ours does
		long started = System.nanoTime();
		PmmlModel.Outcome outcome = model.score(wine);
		double ms = (System.nanoTime() - started) / 1e6;

		RecordMetadata meta = context.recordMetadata().orElse(null);
		ServingResult.Builder result = ServingResult.newBuilder()
				.setDataType(dataType).setModelName(model.name).setModelTypeValue(model.modelType)
				.setDurationMs(ms).setTimestamp(record.timestamp())
				.setPartition(meta == null ? -1 : meta.partition()).setOffset(meta == null ? -1 : meta.offset());
		if (outcome.error() != null) {
			result.setError(outcome.error());
		} else if (outcome.value() instanceof Number n) {
			result.setValue(n.doubleValue());
		} else if (outcome.value() != null) {
			// A class label such as "6" travels as a number, as in ours.
			String label = String.valueOf(outcome.value());
			try {
				result.setValue(Double.parseDouble(label));
			} catch (NumberFormatException e) {
				result.setLabel(label);
			}
		}
		if (outcome.probabilities() != null) result.putAllProbabilities(outcome.probabilities());
		context.forward(new Record<>(dataType, result.build().toByteArray(), record.timestamp()));

		if (outcome.error() == null) {
			double[] s = mirror.computeIfAbsent(dataType, this::storedStats);
			s[0] += 1;
			s[1] += ms;
			stats.put(dataType, ByteBuffer.allocate(16).putLong((long) s[0]).putDouble(s[1]).array());
		}
	}

	/** The compiled model, compiling it from the global store the first time (after a restore). */
	private PmmlModel modelFor(String dataType) {
		PmmlModel model = CompiledModels.get(dataType);
		if (model != null) return model;
		byte[] bytes = models.get(dataType);
		if (bytes == null) return null;
		try {
			model = PmmlModel.compile(ModelDescriptor.parseFrom(bytes));
			CompiledModels.install(dataType, model);
			return model;
		} catch (Exception e) {
			System.err.println("[peer] model for '" + dataType + "' does not compile: " + e);
			return null;
		}
	}

	private double[] storedStats(String dataType) {
		byte[] bytes = stats.get(dataType);
		if (bytes == null) return new double[2];
		ByteBuffer b = ByteBuffer.wrap(bytes);
		return new double[] { b.getLong(), b.getDouble() };
	}
}
