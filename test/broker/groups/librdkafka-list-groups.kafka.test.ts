// librdkafka's admin API (rd_kafka_ListConsumerGroups, Debian's librdkafka 2.0.2, from a small C
// program) listing groups with and without a state filter (ListGroups v4, KIP-518), on the
// embedded broker and on real Kafka 4.4 with the same assertions: a Stable classic group (a
// kafkajs member), an Empty one (its kafkajs member committed and left) and a
// simple one (offsets committed outside any group).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { startBroker } from '../../../lib/broker/server.ts';
import { uniqueName } from '../../kafka/brokers.ts';
import { kafkaBrokers, needs, present, realKafka, type Dependency } from '../../requirements.ts';
import { rawClient, requestFrame } from '../raw-client.ts';
import { buildListGroups, librdkafkaDev, listGroups } from '../librdkafka-c/list-groups.ts';

interface Scenario { readonly stable: string; readonly empty: string; readonly simple: string; stop(): Promise<void> }

/**
 * Commits offset 0 of partition 0 for `group` as a client outside any group does (OffsetCommit v2,
 * generation -1, no member id): the coordinator makes a group with no protocol type. The broker
 * at `bootstrap` must be the coordinator, as the only broker of a test cluster is.
 */
/** The committed offset's metadata: a null string (int16 length -1). */
const NULL_STRING = Buffer.from([0xff, 0xff]);

async function commitOutsideGroup(bootstrap: string, group: string, topic: string): Promise<void> {
  const [host, port] = [bootstrap.slice(0, bootstrap.lastIndexOf(':')), Number(bootstrap.slice(bootstrap.lastIndexOf(':') + 1))];
  const str = (v: string) => { const b = Buffer.from(v); const l = Buffer.alloc(2); l.writeInt16BE(b.length); return Buffer.concat([l, b]); };
  const i32 = (v: number) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; };
  const i64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigInt64BE(v); return b; };
  const body = Buffer.concat([str(group), i32(-1), str(''), i64(-1n), i32(1), str(topic), i32(1), i32(0), i64(0n), NULL_STRING]);
  const client = await rawClient(port, host);
  try {
    const deadline = Date.now() + 15_000;
    for (let correlation = 1; ; correlation++) {
      client.send(requestFrame(8, 2, correlation, body));
      const frame = await client.nextFrame(10_000);
      // correlation id, 1 topic: its name, 1 partition: its index, then its error code
      const error = frame.readInt16BE(4 + 4 + 2 + Buffer.byteLength(topic) + 4 + 4);
      if (error === 0) return;
      // COORDINATOR_LOAD_IN_PROGRESS (14) or COORDINATOR_NOT_AVAILABLE (15) just after start-up
      assert.ok((error === 14 || error === 15) && Date.now() < deadline, `OffsetCommit v2 for ${group} answered error ${error}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    client.close();
  }
}

/** A kafkajs member of `group`, once it has synced (the coordinator then holds the group Stable). */
async function joinedMember(kafka: Kafka, group: string, topic: string): Promise<Consumer> {
  // A short fetch wait: kafkajs's disconnect waits for the fetch in flight (5 s by default).
  const c = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${group} did not join within 30 s`)), 30_000)));
  try {
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({ eachMessage: async () => {} });
    await Promise.race([joined, late]);
    return c;
  } catch (err) {
    await c.disconnect();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** One topic; `stable` keeps its member; `empty`'s member committed and left; `simple` only has offsets. */
async function buildScenario(brokers: string[]): Promise<Scenario> {
  const topic = uniqueName('rdlg-t'), stable = uniqueName('rdlg-stable'), empty = uniqueName('rdlg-empty'), simple = uniqueName('rdlg-simple');
  const kafka = new Kafka({ brokers, clientId: 'rdlg', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let consumer: Consumer | undefined;
  const stop = async () => {
    await consumer?.disconnect();
    await admin.disconnect();
  };
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const leaving = await joinedMember(kafka, empty, topic);
    // Committed within the group's generation: the group keeps protocol type `consumer` once empty.
    await leaving.commitOffsets([{ topic, partition: 0, offset: '0' }]);
    await leaving.disconnect();
    await commitOutsideGroup(brokers[0]!, simple, topic);
    consumer = await joinedMember(kafka, stable, topic);
    return { stable, empty, simple, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface Target { readonly brokers: string[]; close(): Promise<void> }

function register(name: string, deps: Dependency[], open: () => Promise<Target>): void {
  const s = suite(name);
  const it = needs(deps, s);
  let target: Target | undefined;
  let scenario: Scenario | undefined;
  let bootstrap = '';
  s.before(async () => {
    if (!present(deps)) return;
    buildListGroups();
    target = await open();
    bootstrap = target.brokers[0]!;
    scenario = await buildScenario(target.brokers);
  });
  s.after(async () => {
    await scenario?.stop();
    await target?.close();
  });

  /** This scenario's lines only: a shared Kafka also holds other tests' groups. */
  const ours = async (states?: string[]) => {
    const n = scenario!;
    return (await listGroups(bootstrap, states)).filter((l) => [n.stable, n.empty, n.simple].some((g) => l.startsWith(`${g} `)));
  };
  // The empty group's member committed in its generation: protocol type `consumer`, not simple.
  const stableLine = () => `${scenario!.stable} Stable 0`;
  const emptyLine = () => `${scenario!.empty} Empty 0`;
  // Offsets committed outside any group: no protocol type, a simple consumer group (is_simple 1).
  const simpleLine = () => `${scenario!.simple} Empty 1`;

  it('with no filter, every group is listed with its state and whether it is simple', async () => {
    assert.equal(await ours(), [emptyLine(), simpleLine(), stableLine()].sort());
  });
  it('states=Stable lists only the stable group', async () => {
    assert.equal(await ours(['Stable']), [stableLine()]);
  });
  it('states=Empty lists only the empty groups', async () => {
    assert.equal(await ours(['Empty']), [emptyLine(), simpleLine()].sort());
  });
  it('states=Stable,Empty lists every group', async () => {
    assert.equal(await ours(['Stable', 'Empty']), [emptyLine(), simpleLine(), stableLine()].sort());
  });
  it('states=PreparingRebalance lists none of them', async () => {
    assert.equal(await ours(['PreparingRebalance']), []);
  });
  s.run();
}

register('librdkafka ListConsumerGroups: kafka', [librdkafkaDev, realKafka], async () => ({ brokers: kafkaBrokers(), close: async () => {} }));
register('librdkafka ListConsumerGroups: embedded', [librdkafkaDev], async () => {
  const broker = await startBroker({ port: 0 });
  return { brokers: broker.brokers, close: () => broker.stop() };
});
