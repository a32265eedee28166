package org.modelstream.oracle;

import static org.modelstream.oracle.Oracle.pair;
import static org.modelstream.oracle.Oracle.windowed;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The topologies the scenarios name, written in Kafka Streams' DSL. Each has a twin written in
 * modelstream's DSL in test/streams/dsl/oracle-topologies.ts; keep the two in step. Every input
 * topic carries String keys and values; outputs are String keys with String or Long values.
 */
final class Topologies {
    private Topologies() {}

    private static final Produced<String, Long> LONGS = Produced.with(Serdes.String(), Serdes.Long());

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    private static <V> void windowedTo(KTable<Windowed<String>, V> table, String topic, Produced<String, V> produced) {
        table.toStream().map((w, v) -> pair(windowed(w), v)).to(topic, produced);
    }

    static void build(String name, StreamsBuilder b) {
        switch (name) {
            case "count" -> b.<String, String>stream("in").groupByKey()
                .count(Materialized.as("counts")).toStream().to("out", LONGS);
            case "reduce" -> b.<String, String>stream("in").groupByKey()
                .reduce((a, v) -> a + "+" + v, Materialized.as("reduced")).toStream().to("out");
            case "aggregate" -> b.<String, String>stream("in").groupByKey()
                .aggregate(() -> 0L, (k, v, a) -> a + Long.parseLong(v),
                    Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("sums").withValueSerde(Serdes.Long()))
                .toStream().to("out", LONGS);
            case "group-by" -> b.<String, String>stream("in").groupBy((k, v) -> v, Grouped.as("byvalue"))
                .count(Materialized.as("value-counts")).toStream().to("out", LONGS);
            case "select-key" -> b.<String, String>stream("in").selectKey((k, v) -> v.substring(0, 1)).groupByKey()
                .count(Materialized.as("initials")).toStream().to("out", LONGS);
            case "merge-split" -> {
                Map<String, KStream<String, String>> branches = b.<String, String>stream("in").merge(b.stream("in2"))
                    .split(Named.as("s-"))
                    .branch((k, v) -> v.startsWith("a"), Branched.as("a"))
                    .branch((k, v) -> v.startsWith("b"), Branched.as("b"))
                    .defaultBranch(Branched.as("rest"));
                branches.get("s-a").to("out-a");
                branches.get("s-b").to("out-b");
                branches.get("s-rest").to("out-rest");
            }
            case "repartition" -> b.<String, String>stream("in").repartition(Repartitioned.as("rp"))
                .mapValues(v -> v.toUpperCase()).to("out");
            case "to-table" -> b.<String, String>stream("in").toTable(Materialized.as("tt")).toStream().to("out");
            case "table-filter" -> b.<String, String>table("table", Materialized.as("src"))
                .filter((k, v) -> v.length() > 1).mapValues(v -> v.toUpperCase()).toStream().to("out");
            case "table-filter-materialized" -> b.<String, String>table("table", Materialized.as("src"))
                .filterNot((k, v) -> v.startsWith("x"), Materialized.as("kept")).toStream().to("out");
            case "table-group-count" -> b.<String, String>table("table", Materialized.as("src"))
                .groupBy((k, v) -> pair(v, k), Grouped.as("regroup"))
                .count(Materialized.as("per-value")).toStream().to("out", LONGS);
            case "table-filter-group" -> b.<String, String>table("table", Materialized.as("src"))
                .filter((k, v) -> !v.startsWith("x"))
                .groupBy((k, v) -> pair(v, k), Grouped.as("fg"))
                .count(Materialized.as("fg-counts")).toStream().to("out", LONGS);
            case "table-reduce" -> b.<String, String>table("table", Materialized.as("src"))
                .groupBy((k, v) -> pair(k.substring(0, 1), v), Grouped.as("regroup"))
                .reduce((a, v) -> a + "+" + v, (a, v) -> a + "-" + v, Materialized.as("red"))
                .toStream().to("out");
            case "select-key-join" -> {
                KTable<String, String> table = b.table("table", Materialized.as("t"));
                b.<String, String>stream("in").selectKey((k, v) -> v).join(table, (v, t) -> v + "/" + t).to("out");
            }
            case "mapped-table-left-join" -> {
                KTable<String, String> left = b.<String, String>table("left", Materialized.as("l")).mapValues(v -> v.toUpperCase());
                KTable<String, String> right = b.table("right", Materialized.as("r"));
                left.leftJoin(right, (x, y) -> x + "/" + y).toStream().to("out");
            }
            case "table-group-aggregate" -> b.<String, String>table("table", Materialized.as("src"))
                .groupBy((k, v) -> pair(k.substring(0, 1), v), Grouped.as("regroup"))
                .aggregate(() -> "", (k, v, a) -> a + "+" + v, (k, v, a) -> a + "-" + v, Materialized.as("agg"))
                .toStream().to("out");
            case "table-join", "table-left-join", "table-outer-join" -> {
                KTable<String, String> left = b.table("left", Materialized.as("l"));
                KTable<String, String> right = b.table("right", Materialized.as("r"));
                KTable<String, String> joined = switch (name) {
                    case "table-join" -> left.join(right, (x, y) -> x + "/" + y);
                    case "table-left-join" -> left.leftJoin(right, (x, y) -> x + "/" + y);
                    default -> left.outerJoin(right, (x, y) -> x + "/" + y);
                };
                joined.toStream().to("out");
            }
            case "stream-table-join", "stream-table-left-join" -> {
                KStream<String, String> in = b.stream("in");
                KTable<String, String> table = b.table("table", Materialized.as("t"));
                KStream<String, String> joined = name.equals("stream-table-join")
                    ? in.join(table, (v, t) -> v + "/" + t)
                    : in.leftJoin(table, (v, t) -> v + "/" + t);
                joined.to("out");
            }
            case "global-join", "global-left-join" -> {
                KStream<String, String> in = b.stream("in");
                var global = b.<String, String>globalTable("global", Materialized.as("g"));
                KStream<String, String> joined = name.equals("global-join")
                    ? in.join(global, (k, v) -> v, (v, g) -> v + "/" + g)
                    : in.leftJoin(global, (k, v) -> v, (v, g) -> v + "/" + g);
                joined.to("out");
            }
            case "tumbling-count" -> windowedTo(b.<String, String>stream("in").groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(5)))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("tw").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())), "out", LONGS);
            case "hopping-count" -> windowedTo(b.<String, String>stream("in").groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(5)).advanceBy(ms(5)))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("hw").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())), "out", LONGS);
            case "tumbling-reduce" -> windowedTo(b.<String, String>stream("in").groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(ms(10)))
                .reduce((a, v) -> a + "+" + v, Materialized.<String, String, WindowStore<Bytes, byte[]>>as("wr")),
                "out", Produced.with(Serdes.String(), Serdes.String()));
            case "tumbling-suppress" -> windowedTo(b.<String, String>stream("in").groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(2)))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("sw").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())), "out", LONGS);
            case "session-count" -> windowedTo(b.<String, String>stream("in").groupByKey()
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(5), ms(3)))
                .count(Materialized.<String, Long, SessionStore<Bytes, byte[]>>as("sess").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())), "out", LONGS);
            case "session-suppress" -> windowedTo(b.<String, String>stream("in").groupByKey()
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(5), ms(0)))
                .count(Materialized.<String, Long, SessionStore<Bytes, byte[]>>as("sess").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())), "out", LONGS);
            case "sliding-count" -> windowedTo(b.<String, String>stream("in").groupByKey()
                .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(10), ms(5)))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("slw").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())), "out", LONGS);
            case "stream-join", "stream-left-join", "stream-outer-join" -> {
                KStream<String, String> left = b.stream("left");
                KStream<String, String> right = b.stream("right");
                JoinWindows windows = JoinWindows.ofTimeDifferenceAndGrace(ms(5), ms(2));
                StreamJoined<String, String, String> joined = StreamJoined.<String, String, String>with(Serdes.String(), Serdes.String(), Serdes.String())
                    .withStoreName("ssj");
                KStream<String, String> out = switch (name) {
                    case "stream-join" -> left.join(right, (x, y) -> x + "/" + y, windows, joined);
                    case "stream-left-join" -> left.leftJoin(right, (x, y) -> x + "/" + y, windows, joined);
                    default -> left.outerJoin(right, (x, y) -> x + "/" + y, windows, joined);
                };
                out.to("out");
            }
            case "count-time-limit" -> b.<String, String>stream("in").groupByKey()
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("tl-counts").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .suppress(Suppressed.untilTimeLimit(ms(10), Suppressed.BufferConfig.unbounded()))
                .toStream().to("out", LONGS);
            case "table-time-limit" -> b.<String, String>table("table", Materialized.as("src"))
                .suppress(Suppressed.untilTimeLimit(ms(5), Suppressed.BufferConfig.unbounded()))
                .toStream().to("out");
            case "table-time-limit-zero" -> b.<String, String>table("table", Materialized.as("src"))
                .suppress(Suppressed.untilTimeLimit(ms(0), Suppressed.BufferConfig.unbounded()))
                .toStream().to("out");
            default -> throw new IllegalArgumentException("unknown topology " + name);
        }
    }
}
