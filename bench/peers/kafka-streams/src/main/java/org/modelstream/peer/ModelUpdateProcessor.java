package org.modelstream.peer;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import com.lightbend.model.Modeldescriptor.ModelDescriptor;

/**
 * The global store's processor: keeps each dataType's last PMML descriptor and compiles it
 * into the process-wide cache, so the scoring threads find it ready. (Kafka Streams restores a
 * global store at start-up without calling this processor: the scorer compiles from the store then.)
 */
final class ModelUpdateProcessor implements Processor<String, byte[], Void, Void> {

	private final String storeName;
	private KeyValueStore<String, byte[]> store;

	ModelUpdateProcessor(String storeName) {
		this.storeName = storeName;
	}

	@Override
	public void init(ProcessorContext<Void, Void> context) {
		store = context.getStateStore(storeName);
	}

	@Override
	public void process(Record<String, byte[]> record) {
		if (record.key() == null || record.value() == null) return;
		try {
			ModelDescriptor descriptor = ModelDescriptor.parseFrom(record.value());
			if (descriptor.getModeltype() != ModelDescriptor.ModelType.PMML || !descriptor.hasData()) {
				System.err.println("[peer] model for '" + record.key() + "' refused: only PMML by value is served here");
				return;
			}
			CompiledModels.install(record.key(), PmmlModel.compile(descriptor));
			store.put(record.key(), record.value());
		} catch (Exception e) {
			System.err.println("[peer] model for '" + record.key() + "' refused: " + e);
		}
	}
}
