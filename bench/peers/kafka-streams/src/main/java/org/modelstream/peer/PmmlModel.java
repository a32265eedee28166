package org.modelstream.peer;

import java.io.ByteArrayInputStream;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.ResultFeature;
import org.jpmml.evaluator.Computable;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.HasProbability;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.evaluator.TargetField;

import com.lightbend.model.Modeldescriptor.ModelDescriptor;
import com.lightbend.model.Winerecord.WineRecord;

/** One compiled PMML model: which WineRecord feature feeds each input field, and the evaluator. */
final class PmmlModel {

	/** What the model said of one record: a value, or an error; probabilities for classifiers. */
	record Outcome(Object value, Map<String, Double> probabilities, String error) {}

	/** The WineRecord features by their proto names (lower case), read with the generated getters. */
	private static final Map<String, ToDoubleFunction<WineRecord>> FEATURES = Map.ofEntries(
			Map.entry("fixed_acidity", WineRecord::getFixedAcidity), Map.entry("volatile_acidity", WineRecord::getVolatileAcidity),
			Map.entry("citric_acid", WineRecord::getCitricAcid), Map.entry("residual_sugar", WineRecord::getResidualSugar),
			Map.entry("chlorides", WineRecord::getChlorides), Map.entry("free_sulfur_dioxide", WineRecord::getFreeSulfurDioxide),
			Map.entry("total_sulfur_dioxide", WineRecord::getTotalSulfurDioxide), Map.entry("density", WineRecord::getDensity),
			Map.entry("ph", WineRecord::getPH), Map.entry("sulphates", WineRecord::getSulphates), Map.entry("alcohol", WineRecord::getAlcohol));

	final String name;
	final int modelType;
	private final Evaluator evaluator;
	private final InputField[] inputs;
	/** For each input, its feature's getter (null: no such feature, passed as missing). */
	private final ToDoubleFunction<WineRecord>[] featureOf;
	private final String target;

	private PmmlModel(String name, int modelType, Evaluator evaluator) {
		this.name = name;
		this.modelType = modelType;
		this.evaluator = evaluator;
		List<? extends InputField> fields = evaluator.getInputFields();
		this.inputs = fields.toArray(new InputField[0]);
		@SuppressWarnings("unchecked")
		ToDoubleFunction<WineRecord>[] getters = new ToDoubleFunction[inputs.length];
		this.featureOf = getters;
		for (int i = 0; i < inputs.length; i++) {
			// The seed's PMML names fields "fixed acidity"; the proto "fixed_acidity".
			featureOf[i] = FEATURES.get(inputs[i].getName().toLowerCase(Locale.ROOT).replace(' ', '_'));
		}
		List<TargetField> targets = evaluator.getTargetFields();
		this.target = targets.isEmpty() ? Evaluator.DEFAULT_TARGET_NAME : targets.get(0).getName();
	}

	static PmmlModel compile(ModelDescriptor descriptor) throws Exception {
		LoadingModelEvaluatorBuilder builder = new LoadingModelEvaluatorBuilder().load(new ByteArrayInputStream(descriptor.getData().toByteArray()));
		Evaluator evaluator = builder.build();
		// Ask for class probabilities, which our results carry too.
		if (evaluator.getMiningFunction() == MiningFunction.CLASSIFICATION) {
			evaluator = builder.setExtraResultFeatures(EnumSet.of(ResultFeature.PROBABILITY)).build();
		}
		evaluator.verify();
		return new PmmlModel(descriptor.getName(), descriptor.getModeltypeValue(), evaluator);
	}

	Outcome score(WineRecord wine) {
		try {
			Map<String, FieldValue> arguments = new LinkedHashMap<>();
			for (int i = 0; i < inputs.length; i++) {
				Object raw = featureOf[i] == null ? null : featureOf[i].applyAsDouble(wine);
				arguments.put(inputs[i].getName(), inputs[i].prepare(raw));
			}
			Map<String, ?> results = evaluator.evaluate(arguments);
			Object value = results.get(target);
			Map<String, Double> probabilities = null;
			if (value instanceof HasProbability hasProbability) {
				probabilities = new LinkedHashMap<>();
				for (Object category : hasProbability.getCategories()) probabilities.put(String.valueOf(category), hasProbability.getProbability(category));
			}
			if (value instanceof Computable computable) value = computable.getResult();
			return new Outcome(EvaluatorUtil.decode(value), probabilities, null);
		} catch (RuntimeException e) {
			return new Outcome(null, null, String.valueOf(e.getMessage()));
		}
	}
}
