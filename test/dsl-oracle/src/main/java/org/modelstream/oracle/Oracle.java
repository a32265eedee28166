package org.modelstream.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs DSL scenarios through Kafka Streams' TopologyTestDriver, all in one JVM. Reads
 * {"scenarios":[{name, topology, steps:[{topic,key,value,ts} | {advance}], outputs:{topic:type},
 * stores:[{name,kind}]}]} from stdin and prints one JSON line per scenario: the records of each
 * output topic in order and the final contents of each store.
 */
public final class Oracle {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        JsonNode input = JSON.readTree(System.in);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (JsonNode scenario : input.get("scenarios")) {
            ObjectNode result = JSON.createObjectNode();
            result.put("name", scenario.get("name").asText());
            try {
                run(scenario, result);
            } catch (Exception e) {
                StringBuilder why = new StringBuilder();
                for (Throwable t = e; t != null; t = t.getCause()) why.append(t).append(t.getCause() == null ? "" : " <- ");
                result.put("error", why.toString());
            }
            out.println(JSON.writeValueAsString(result));
        }
    }

    private static void run(JsonNode scenario, ObjectNode result) {
        StreamsBuilder builder = new StreamsBuilder();
        Topologies.build(scenario.get("topology").asText(), builder);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "oracle");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // Caching off: every update is forwarded, the semantics modelstream implements.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, Instant.ofEpochMilli(0))) {
            Map<String, TestInputTopic<String, String>> inputs = new HashMap<>();
            Map<String, TestOutputTopic<String, Object>> outputs = new HashMap<>();
            scenario.get("outputs").fields().forEachRemaining(e ->
                outputs.put(e.getKey(), driver.createOutputTopic(e.getKey(), Serdes.String().deserializer(), deserializer(e.getValue().asText()))));
            ObjectNode produced = result.putObject("outputs");
            for (JsonNode step : scenario.get("steps")) {
                if (step.has("advance")) {
                    driver.advanceWallClockTime(Duration.ofMillis(step.get("advance").asLong()));
                    continue;
                }
                String topic = step.get("topic").asText();
                TestInputTopic<String, String> in = inputs.computeIfAbsent(topic, t ->
                    driver.createInputTopic(t, new StringSerializer(), new StringSerializer()));
                in.pipeInput(text(step.get("key")), text(step.get("value")), step.get("ts").asLong());
            }
            for (Map.Entry<String, TestOutputTopic<String, Object>> e : outputs.entrySet()) {
                ArrayNode list = produced.putArray(e.getKey());
                for (TestRecord<String, Object> r : e.getValue().readRecordsToList()) {
                    ObjectNode o = list.addObject();
                    o.put("key", r.key());
                    o.set("value", JSON.valueToTree(r.value()));
                    o.put("ts", r.timestamp());
                }
            }
            ObjectNode stores = result.putObject("stores");
            for (JsonNode store : scenario.get("stores")) {
                stores.set(store.get("name").asText(), storeContents(driver, store.get("name").asText(), store.get("kind").asText()));
            }
            result.put("droppedRecords", droppedRecords(driver));
        }
    }

    private static ArrayNode storeContents(TopologyTestDriver driver, String name, String kind) {
        ArrayNode list = JSON.createArrayNode();
        switch (kind) {
            case "kv" -> {
                try (KeyValueIterator<Object, Object> it = driver.getKeyValueStore(name).all()) {
                    it.forEachRemaining(kv -> add(list, String.valueOf(kv.key), kv.value));
                }
            }
            case "window" -> {
                try (KeyValueIterator<Windowed<Object>, Object> it = driver.getWindowStore(name).all()) {
                    it.forEachRemaining(kv -> add(list, windowed(kv.key), kv.value));
                }
            }
            case "session" -> {
                try (KeyValueIterator<Windowed<Object>, Object> it = driver.getSessionStore(name).fetch(null, null)) {
                    it.forEachRemaining(kv -> add(list, windowed(kv.key), kv.value));
                }
            }
            default -> throw new IllegalArgumentException("unknown store kind " + kind);
        }
        return list;
    }

    private static void add(ArrayNode list, String key, Object value) {
        ObjectNode o = list.addObject();
        o.put("key", key);
        o.set("value", JSON.valueToTree(value));
    }

    static String windowed(Windowed<?> w) {
        return w.key() + "@" + w.window().start() + "/" + w.window().end();
    }

    private static double droppedRecords(TopologyTestDriver driver) {
        double total = 0;
        for (var e : driver.metrics().entrySet()) {
            if (e.getKey().name().equals("dropped-records-total")) total += ((Number) e.getValue().metricValue()).doubleValue();
        }
        return total;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<Object> deserializer(String type) {
        return (Deserializer<Object>) (Deserializer<?>) switch (type) {
            case "string" -> Serdes.String().deserializer();
            case "long" -> Serdes.Long().deserializer();
            default -> throw new IllegalArgumentException("unknown output type " + type);
        };
    }

    static <K, V> KeyValue<K, V> pair(K k, V v) {
        return KeyValue.pair(k, v);
    }
}
