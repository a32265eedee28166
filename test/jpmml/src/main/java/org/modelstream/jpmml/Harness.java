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
 *   score <model.pmml> <input.csv|input.jsonl> [<model> <input> ...]   one JSON line per record
 *   bench <model.pmml> <input.csv|input.jsonl> [passes] [warmupMs]   one JSON line of latency figures
 * Scoring several models in one JVM saves its start-up per model (see scoreFile).
 */
public final class Harness {

	private Harness() {}

	public static void main(String[] args) throws Exception {
		if (args.length >= 3 && args[0].equals("score") && args.length % 2 == 1) {
			JsonFactory factory = new JsonFactory();
			factory.setRootValueSeparator(null); // lines are ended by '\n', nothing else between them
			OutputStream stream = new BufferedOutputStream(System.out, 1 << 16);
			JsonGenerator out = factory.createGenerator(stream);
			boolean many = args.length > 3;
			int failures = 0;
			for (int i = 1; i < args.length; i += 2) {
				failures += scoreFile(out, args[i], args[i + 1], many) ? 0 : 1;
			}
			out.flush();
			stream.flush();
			System.exit(failures > 0 && !many ? 2 : 0);
		} else if (args.length >= 3 && args.length <= 5 && args[0].equals("bench")) {
			Scorer scorer = new Scorer(new File(args[1]));
			int passes = args.length > 3 ? Integer.parseInt(args[3]) : 5;
			long warmupMs = args.length > 4 ? Long.parseLong(args[4]) : 2000;
			Bench.run(scorer, new File(args[1]).getName(), Records.read(Path.of(args[2])), passes, warmupMs);
		} else {
			System.err.println("usage: score <model.pmml> <input.csv|input.jsonl> [<model.pmml> <input> ...]\n"
				+ "       bench <model.pmml> <input.csv|input.jsonl> [passes] [warmupMs]");
			System.exit(64);
		}
	}

	/**
	 * Scores one file's records. With several files each begins with a header line
	 * {"model": path, "records": n} or {"model": path, "loadError": "..."}; with one file only
	 * a load error is printed ({"loadError": "..."}). Returns false when JPMML refused the model.
	 */
	private static boolean scoreFile(JsonGenerator out, String model, String input, boolean header) throws IOException {
		List<Map<String, Object>> records = Records.read(Path.of(input));
		Scorer scorer;
		try {
			scorer = new Scorer(new File(model));
		} catch (Exception e) {
			out.writeStartObject();
			if (header) out.writeStringField("model", model);
			out.writeStringField("loadError", describe(e));
			out.writeEndObject();
			out.writeRaw('\n');
			return false;
		}
		if (header) {
			out.writeStartObject();
			out.writeStringField("model", model);
			out.writeNumberField("records", records.size());
			out.writeEndObject();
			out.writeRaw('\n');
		}
		score(out, scorer, records);
		return true;
	}

	private static void score(JsonGenerator out, Scorer scorer, List<Map<String, Object>> records) throws IOException {
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
				if (result.targets() != null) {
					out.writeObjectFieldStart("targets");
					for (Map.Entry<String, Object> e : result.targets().entrySet()) {
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
