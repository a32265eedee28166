package org.modelstream.jpmml;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Command line:
 *   score <model.pmml> <input.csv|input.jsonl>   one JSON line per record
 *   bench <model.pmml> <input.csv|input.jsonl> [passes]   one JSON line of latency figures
 * A model JPMML rejects prints {"loadError": "..."} and exits 2.
 */
public final class Harness {

	private Harness() {}

	public static void main(String[] args) throws Exception {
		if (args.length < 3 || !(args[0].equals("score") || args[0].equals("bench"))) {
			System.err.println("usage: score|bench <model.pmml> <input.csv|input.jsonl> [passes]");
			System.exit(64);
		}
		List<Map<String, Object>> records = Records.read(Path.of(args[2]));
		Scorer scorer;
		try {
			scorer = new Scorer(new File(args[1]));
		} catch (Exception e) {
			try (JsonGenerator out = new JsonFactory().createGenerator((OutputStream) System.out)) {
				out.writeStartObject();
				out.writeStringField("loadError", describe(e));
				out.writeEndObject();
			}
			System.out.println();
			System.exit(2);
			return;
		}
		if (args[0].equals("score")) {
			score(scorer, records);
		} else {
			int passes = args.length > 3 ? Integer.parseInt(args[3]) : 5;
			Bench.run(scorer, new File(args[1]).getName(), records, passes);
		}
	}

	private static void score(Scorer scorer, List<Map<String, Object>> records) throws IOException {
		OutputStream stream = new BufferedOutputStream(System.out, 1 << 16);
		JsonFactory factory = new JsonFactory();
		factory.setRootValueSeparator(null); // lines are ended by '\n' below, nothing else between them
		JsonGenerator out = factory.createGenerator(stream);
		for (Map<String, Object> record : records) {
			out.writeStartObject();
			try {
				Scorer.Result result = scorer.score(record);
				out.writeFieldName("value");
				writeValue(out, result.value());
				if (result.probabilities() != null) {
					out.writeObjectFieldStart("probabilities");
					for (Map.Entry<String, Double> e : result.probabilities().entrySet()) {
						out.writeFieldName(e.getKey());
						writeValue(out, e.getValue());
					}
					out.writeEndObject();
				}
				out.writeObjectFieldStart("outputs");
				for (Map.Entry<String, Object> e : result.outputs().entrySet()) {
					out.writeFieldName(e.getKey());
					writeValue(out, e.getValue());
				}
				out.writeEndObject();
			} catch (RuntimeException e) {
				out.writeStringField("error", describe(e));
			}
			out.writeEndObject();
			out.writeRaw('\n');
		}
		out.flush();
		stream.flush();
	}

	/**
	 * Numbers as JSON numbers at full precision (Double.toString round-trips); a Float is
	 * widened exactly. NaN and infinities, which JSON lacks, are written as the strings
	 * "NaN", "Infinity" and "-Infinity".
	 */
	static void writeValue(JsonGenerator out, Object value) throws IOException {
		if (value == null) {
			out.writeNull();
		} else if (value instanceof Double || value instanceof Float) {
			double d = ((Number) value).doubleValue();
			if (Double.isFinite(d)) out.writeNumber(d);
			else out.writeString(Double.toString(d));
		} else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			out.writeNumber(((Number) value).longValue());
		} else if (value instanceof Boolean b) {
			out.writeBoolean(b);
		} else if (value instanceof Collection<?> list) {
			out.writeStartArray();
			for (Object item : list) writeValue(out, item);
			out.writeEndArray();
		} else {
			out.writeString(String.valueOf(value));
		}
	}

	static String describe(Throwable e) {
		String message = e.getMessage();
		return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
	}
}
