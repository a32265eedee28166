package org.modelstream.peer;

import java.util.concurrent.ConcurrentHashMap;

/** The models compiled in this process by dataType, shared by every stream thread (JPMML evaluators are thread-safe). */
final class CompiledModels {

	private static final ConcurrentHashMap<String, PmmlModel> BY_DATA_TYPE = new ConcurrentHashMap<>();

	private CompiledModels() {}

	static void install(String dataType, PmmlModel model) {
		BY_DATA_TYPE.put(dataType, model);
	}

	static PmmlModel get(String dataType) {
		return BY_DATA_TYPE.get(dataType);
	}
}
