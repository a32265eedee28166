// The broker-bounce scenario at full size (test/kafka/broker-bounce.kafka.test.ts runs it small):
// its own 3-node Kafka cluster, a counting app, acks=all load, and the leader of input
// partition 0 bounced N times, alternating a clean stop and kill -9.
//   node --import tsx bench/broker-bounce.ts [--bounces 6] [--partitions 4] [--keys 40] [--down-ms 3000]
import { startKafkaCluster, type StopMode } from '../scripts/kafka/cluster.ts';
import { runBrokerBounce } from '../test/kafka/broker-bounce.ts';
import { parseCli } from './cli.ts';

const { values } = parseCli({
  script: 'bench/broker-bounce.ts',
  summary: 'A 3-node Kafka cluster of its own, a counting app under acks=all load, and the leader of input\npartition 0 bounced N times (clean stop, then kill -9, alternating): acked-but-lost records,\ninputs without output, wrong counts, recovery time per bounce. Exits 1 if anything was lost.',
  options: {
    bounces: { type: 'string', value: 'count', default: '6', description: 'leader bounces (clean stop and kill -9 alternate)' },
    partitions: { type: 'string', value: 'count', default: '4', description: 'input partitions' },
    keys: { type: 'string', value: 'count', default: '40', description: 'distinct keys counted' },
    'down-ms': { type: 'string', value: 'count', default: '3000', description: 'ms a bounced broker stays down' },
  },
  examples: ['node --import tsx bench/broker-bounce.ts --bounces 2 --down-ms 1000'],
});
const log = (line: string) => console.log(`[bench] ${line}`);
const bounces: StopMode[] = Array.from({ length: Number(values.bounces) }, (_, i) => (i % 2 === 0 ? 'clean' : 'kill'));
const cluster = await startKafkaCluster({ brokers: 3, log });
try {
  const started = Date.now();
  const r = await runBrokerBounce({
    cluster, name: `bench-bounce-${Date.now().toString(36)}`, partitions: Number(values.partitions),
    keys: Number(values.keys), bounces, downMs: Number(values['down-ms']), log,
  });
  const inputs = [...r.inputs.values()].reduce((a, b) => a + b, 0);
  const wrongCounts = [...r.inputs].filter(([k, n]) => r.counts.get(k) !== n);
  const missing = [...r.missingOutputs.values()].reduce((a, m) => a + m.length, 0);
  log(`${inputs} inputs, ${r.outputRecords} outputs, ${r.bounced.length} bounces in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`recovery (stop → back in sync): ${r.bounced.map((b) => `${b.mode} node ${b.node} ${(b.recoveredMs / 1000).toFixed(1)} s`).join(', ')}`);
  log(`acked but lost: ${r.lostAcked.length}; inputs without output: ${missing}; keys with a wrong count: ${wrongCounts.length}; ERROR state: ${r.states.includes('ERROR')}`);
  if (missing) log(`inputs without output (key: counts never emitted): ${[...r.missingOutputs].slice(0, 10).map(([k, m]) => `${k}: ${m.slice(0, 10).join(',')}`).join('; ')}`);
  console.log(JSON.stringify({ inputs, outputs: r.outputRecords, bounces: r.bounced, lostAcked: r.lostAcked.length, missingOutputs: missing, wrongCounts, failedSends: r.failedSends }));
  process.exitCode = r.lostAcked.length || missing || wrongCounts.length ? 1 : 0;
} finally {
  await cluster.stop();
}
