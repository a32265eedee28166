// The crash matrix, big: the counting app (LevelDB store, then the file store) killed -9 at
// each point of its commit cycle and at a random record, restarted on the same state
// directory; prints records in, results out, missing, duplicated and the stored counts.
//   node --import tsx bench/crash-matrix.ts [--records 20000] [--keys 100] [--partitions 2]
//     [--max-records-per-commit 1000] [--broker kafka|embedded|both] [--brokers host:port]
import { startBroker } from '../lib/broker/index.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { runScenario, type Scenario } from '../test/runtime/crash-scenario.ts';
import type { KillPoint, StoreKind } from '../test/runtime/fixtures/crash-app.ts';
import { parseCli } from './cli.ts';

const { values } = parseCli({
  script: 'bench/crash-matrix.ts',
  summary: 'The counting app (LevelDB store, then the file store) killed -9 at each point of its commit cycle\nand at a random record, restarted on the same state directory: records in, results out, missing,\nduplicated and the stored counts.',
  options: {
    records: { type: 'string', value: 'count', default: '20000', description: 'input records (spread over the keys)' },
    keys: { type: 'string', value: 'count', default: '100', description: 'distinct keys' },
    partitions: { type: 'string', value: 'count', default: '2', description: 'input partitions' },
    'max-records-per-commit': { type: 'string', value: 'count', default: '1000', description: 'records per task commit' },
    broker: { type: 'string', value: ['kafka', 'embedded', 'both'], default: 'both', description: 'which broker(s) to start' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka instead (ignores --broker)', defaultText: 'start per --broker' },
  },
  examples: ['node --import tsx bench/crash-matrix.ts --records 2000 --broker embedded'],
});
const keys = Number(values.keys);
const perKey = Math.max(1, Math.round(Number(values.records) / keys));
const partitions = Number(values.partitions);
const maxRecordsPerCommit = Number(values['max-records-per-commit']);
// The hooks fire in a commit about a third of the way through a partition's share.
const killAtCommit = Math.max(1, Math.floor((keys * perKey) / partitions / maxRecordsPerCommit / 3));
const points: (KillPoint | 'random')[] = ['processor-flush', 'before-store-flush', 'after-store-flush', 'after-offset-commit', 'random'];
const stores: StoreKind[] = ['leveldb', 'file'];

async function targets(): Promise<{ name: string; brokers: string[]; stop(): Promise<void> }[]> {
  if (values.brokers) return [{ name: 'given', brokers: values.brokers.split(','), stop: async () => {} }];
  const out = [];
  if (values.broker !== 'embedded') {
    const kafka = await startKafka();
    out.push({ name: 'kafka', brokers: kafka.brokers, stop: () => kafka.stop() });
  }
  if (values.broker !== 'kafka') {
    const broker = await startBroker({ port: 0 });
    out.push({ name: 'embedded', brokers: broker.brokers, stop: () => broker.stop() });
  }
  return out;
}

const header = ['broker', 'store', 'kill point', 'in', 'out', 'missing', 'duplicated', 'stored', 'wrong keys', 'killed after', 'restored'];
console.log(`records ${keys * perKey} (${keys} keys x ${perKey}), ${partitions} partitions, maxRecordsPerCommit ${maxRecordsPerCommit}, hooks kill in commit ${killAtCommit} of a task`);
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => ' --- ').join('|')}|`);
for (const target of await targets()) {
  try {
    for (const store of stores) {
      for (const point of points) {
        const scenario: Scenario = { store, point, keys, perKey, partitions, maxRecordsPerCommit, killAtCommit };
        const o = await runScenario(target.brokers, scenario);
        console.log(`| ${[target.name, store, point, o.records, o.results, o.missing, o.duplicated, o.storedTotal, o.wrongKeys, o.killedAfter, o.restoredRecords].join(' | ')} |`);
      }
    }
  } finally {
    await target.stop();
  }
}
