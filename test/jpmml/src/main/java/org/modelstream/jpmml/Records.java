package org.modelstream.jpmml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Input records: the wine CSV (semicolon-separated, no header) or JSON lines of named fields. */
final class Records {

	/** The CSV's columns, in order; a 12th column (quality) is ignored. */
	static final List<String> WINE_FEATURES = List.of(
		"fixed acidity", "volatile acidity", "citric acid", "residual sugar", "chlorides",
		"free sulfur dioxide", "total sulfur dioxide", "density", "pH", "sulphates", "alcohol");

	private Records() {}

	static List<Map<String, Object>> read(Path path) throws IOException {
		String name = path.getFileName().toString();
		return name.endsWith(".jsonl") || name.endsWith(".json") ? readJsonLines(path) : readWineCsv(path);
	}

	static List<Map<String, Object>> readWineCsv(Path path) throws IOException {
		List<Map<String, Object>> out = new ArrayList<>();
		for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
			if (line.isBlank()) continue;
			String[] cells = line.split(";", -1);
			if (cells.length < WINE_FEATURES.size()) {
				throw new IOException("a CSV row has " + cells.length + " cells, expected at least 11: " + line);
			}
			Map<String, Object> record = new LinkedHashMap<>();
			for (int i = 0; i < WINE_FEATURES.size(); i++) {
				record.put(WINE_FEATURES.get(i), Double.parseDouble(cells[i].trim()));
			}
			out.add(record);
		}
		return out;
	}

	/** JSON numbers written without fraction or exponent become Long, so "6" reaches a string field as "6". */
	static List<Map<String, Object>> readJsonLines(Path path) throws IOException {
		ObjectMapper mapper = new ObjectMapper();
		List<Map<String, Object>> out = new ArrayList<>();
		for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
			if (line.isBlank()) continue;
			JsonNode node = mapper.readTree(line);
			if (!node.isObject()) throw new IOException("a JSON line is not an object: " + line);
			Map<String, Object> record = new LinkedHashMap<>();
			for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
				Map.Entry<String, JsonNode> e = it.next();
				record.put(e.getKey(), toJava(e.getValue()));
			}
			out.add(record);
		}
		return out;
	}

	private static Object toJava(JsonNode v) {
		if (v.isNull()) return null;
		if (v.isIntegralNumber()) return v.longValue();
		if (v.isNumber()) return v.doubleValue();
		if (v.isBoolean()) return v.booleanValue();
		if (v.isTextual()) return v.textValue();
		throw new IllegalArgumentException("unsupported JSON value (arrays and objects are not field values): " + v);
	}
}
