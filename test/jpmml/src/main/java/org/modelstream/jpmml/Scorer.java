package org.modelstream.jpmml;

import java.io.File;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.ResultFeature;
import org.jpmml.evaluator.AffinityDistribution;
import org.jpmml.evaluator.Computable;
import org.jpmml.evaluator.EvaluationException;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.HasProbability;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.evaluator.OutputField;
import org.jpmml.evaluator.TargetField;

/**
 * One loaded model and the encode-evaluate-decode sequence JPMML documents for a record:
 * every input field is prepared (outlier, missing, invalid treatment, type conversion),
 * the model evaluated, and the target decoded to plain Java values.
 */
final class Scorer {

	/**
	 * The (first) target's value, its class probabilities (null when it has none), the Output
	 * fields, and every target's value when the model has several (else null).
	 */
	record Result(Object value, Map<String, Double> probabilities, Map<String, Object> outputs, Map<String, Object> targets) {}

	private final Evaluator evaluator;
	private final List<InputField> inputFields;
	private final String targetName;
	private final List<String> targetNames;
	private final List<OutputField> outputFields;

	Scorer(File pmml) throws Exception {
		LoadingModelEvaluatorBuilder builder = new LoadingModelEvaluatorBuilder().load(pmml);
		Evaluator built = builder.build();
		// JPMML picks a lighter evaluator (no class probabilities) when the Output asks for none;
		// ask for probabilities so classification results always carry them, as ours do.
		if (built.getMiningFunction() == MiningFunction.CLASSIFICATION) {
			built = builder.setExtraResultFeatures(EnumSet.of(ResultFeature.PROBABILITY)).build();
		}
		this.evaluator = built;
		this.evaluator.verify();
		this.inputFields = List.copyOf(evaluator.getInputFields());
		List<TargetField> targets = evaluator.getTargetFields();
		// A model without a target MiningField has one synthetic target, named null.
		this.targetName = targets.isEmpty() ? Evaluator.DEFAULT_TARGET_NAME : targets.get(0).getName();
		this.targetNames = targets.stream().map(TargetField::getName).toList();
		this.outputFields = List.copyOf(evaluator.getOutputFields());
	}

	Result score(Map<String, ?> record) {
		Map<String, FieldValue> arguments = new LinkedHashMap<>();
		for (InputField field : inputFields) {
			String name = field.getName();
			arguments.put(name, field.prepare(record.get(name)));
		}
		Map<String, ?> results = evaluator.evaluate(arguments);

		Object target = results.get(targetName);
		Map<String, Double> probabilities = null;
		if (target instanceof HasProbability hasProbability) {
			probabilities = new LinkedHashMap<>();
			for (Object category : hasProbability.getCategories()) {
				probabilities.put(String.valueOf(category), hasProbability.getProbability(category));
			}
		}
		Object value = target;
		if (target instanceof Computable computable) {
			try {
				value = computable.getResult();
			} catch (UnsupportedOperationException noValue) {
				// An association result has no single value: its rules come through the OutputFields.
				value = null;
			} catch (EvaluationException noResult) {
				// A clustering NearestNeighborModel ranks its instances and computes no result: its
				// neighbors come through the OutputFields (entityId, affinity).
				if (!(target instanceof AffinityDistribution<?>)) throw noResult;
				value = null;
			}
		}

		Map<String, Object> outputs = new LinkedHashMap<>();
		for (OutputField field : outputFields) {
			outputs.put(field.getName(), EvaluatorUtil.decode(results.get(field.getName())));
		}
		Map<String, Object> all = null;
		if (targetNames.size() > 1) {
			all = new LinkedHashMap<>();
			for (String name : targetNames) all.put(name, EvaluatorUtil.decode(results.get(name)));
		}
		return new Result(EvaluatorUtil.decode(value), probabilities, outputs, all);
	}
}
