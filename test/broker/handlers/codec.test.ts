// Golden bytes for every request and response version the broker advertises: requests
// decode to the expected fields, responses encode to the expected bytes. The bytes are
// assembled here field by field from the spec's layout (see ./golden.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Reader } from '../../../lib/broker/protocol/reader.ts';
import { Writer } from '../../../lib/broker/protocol/writer.ts';
import { check } from './golden-check.ts';
import { produce } from '../../../lib/broker/handlers/00-produce.ts';
import { fetch } from '../../../lib/broker/handlers/01-fetch.ts';
import { listOffsets } from '../../../lib/broker/handlers/02-list-offsets.ts';
import { metadata, ZERO_UUID } from '../../../lib/broker/handlers/03-metadata.ts';
import { apiVersions } from '../../../lib/broker/handlers/18-api-versions.ts';
import { createTopics } from '../../../lib/broker/handlers/19-create-topics.ts';
import { deleteTopics } from '../../../lib/broker/handlers/20-delete-topics.ts';
import { describeConfigs } from '../../../lib/broker/handlers/32-describe-configs.ts';
import { createPartitions } from '../../../lib/broker/handlers/37-create-partitions.ts';
import { alterConfigs } from '../../../lib/broker/handlers/33-alter-configs.ts';
import { deleteRecords } from '../../../lib/broker/handlers/21-delete-records.ts';
import { arr, bool, bytes, carr, cat, cbytes, cstr, i16, i32, i64, i8, str, tags, uuid, when } from './golden.ts';



check(apiVersions, (v) => {
  const flex = v >= 3;
  return {
    request: flex ? cat(cstr('apache-kafka-java'), cstr('4.4.0'), when(v >= 5, cstr('c1'), i32(0)), tags()) : Buffer.alloc(0),
    decoded: flex
      ? { clientSoftwareName: 'apache-kafka-java', clientSoftwareVersion: '4.4.0', clusterId: v >= 5 ? 'c1' : null, nodeId: v >= 5 ? 0 : -1 }
      : { clientSoftwareName: null, clientSoftwareVersion: null, clusterId: null, nodeId: -1 },
    response: { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 7, supportedFeatures: [], finalizedFeaturesEpoch: -1, finalizedFeatures: [] },
    encoded: flex
      ? cat(i16(0), carr([cat(i16(18), i16(0), i16(4), tags())]), i32(7), tags())
      : cat(i16(0), arr([cat(i16(18), i16(0), i16(4))]), when(v >= 1, i32(7))),
  };
});

/** ApiVersions' answer with transaction.version 2 supported (0–2) and finalized at epoch 1. */
const withTv2 = {
  errorCode: 0, apiKeys: [], throttleTimeMs: 0,
  supportedFeatures: [{ name: 'transaction.version', minVersion: 0, maxVersion: 2 }],
  finalizedFeaturesEpoch: 1,
  finalizedFeatures: [{ name: 'transaction.version', maxVersionLevel: 2, minVersionLevel: 2 }],
};
const finalizedTags: [number, Buffer][] = [[1, i64(1)], [2, carr([cat(cstr('transaction.version'), i16(2), i16(2), tags())])]];

test('ApiVersions v4+: the feature tags carry transaction.version, supported 0-2 and finalized at 2', () => {
  for (const v of [4, 5]) {
    const w = new Writer(8);
    apiVersions.encodeResponse(w, v, withTv2);
    const supported: [number, Buffer] = [0, carr([cat(cstr('transaction.version'), i16(0), i16(2), tags())])];
    assert.is(w.toBuffer().toString('hex'), cat(i16(0), carr([]), i32(0), tags(supported, ...finalizedTags)).toString('hex'), `v${v}`);
  }
});

test('ApiVersions v3: a supported feature whose minimum is 0 is left out, the finalized ones stay', () => {
  const w = new Writer(8);
  apiVersions.encodeResponse(w, 3, withTv2);
  assert.is(w.toBuffer().toString('hex'), cat(i16(0), carr([]), i32(0), tags(...finalizedTags)).toString('hex'));
});

test('ApiVersions v3: an unknown tag in the request is skipped', () => {
  const r = new Reader(cat(cstr('a'), cstr('1'), tags([7, Buffer.from([1, 2])])));
  assert.equal(apiVersions.decodeRequest(r, 3), { clientSoftwareName: 'a', clientSoftwareVersion: '1', clusterId: null, nodeId: -1 });
  assert.is(r.remaining, 0);
});


const TOPIC_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

check(metadata, (v) => {
  const flex = v >= 9, s = flex ? cstr : str, a = flex ? carr : arr, t = when(flex, tags());
  const topicEntry = cat(when(v >= 10, uuid(ZERO_UUID.replace(/-/g, ''))), s('t'), t);
  return {
    request: cat(v === 0 ? a([topicEntry]) : a(null), when(v >= 4, bool(false)), when(v >= 8 && v <= 10, bool(true)), when(v >= 8, bool(true)), t),
    decoded: {
      topics: v === 0 ? [{ topicId: ZERO_UUID, name: 't' }] : null, allowAutoTopicCreation: v < 4,
      includeClusterAuthorizedOperations: v >= 8 && v <= 10, includeTopicAuthorizedOperations: v >= 8,
    },
    response: {
      throttleTimeMs: 3,
      brokers: [{ nodeId: 0, host: 'h', port: 9092, rack: null }],
      clusterId: 'c',
      controllerId: 0,
      topics: [{
        errorCode: 0, name: 't', topicId: TOPIC_ID, isInternal: false, authorizedOperations: 3576,
        partitions: [{ errorCode: 0, partition: 1, leader: 0, leaderEpoch: -1, replicas: [0], isr: [0], offline: [] }],
      }],
      clusterAuthorizedOperations: 8096,
    },
    encoded: cat(
      when(v >= 3, i32(3)),
      a([cat(i32(0), s('h'), i32(9092), when(v >= 1, s(null)), t)]),
      when(v >= 2, s('c')),
      when(v >= 1, i32(0)),
      a([cat(i16(0), s('t'), when(v >= 10, uuid(TOPIC_ID.replace(/-/g, ''))), when(v >= 1, bool(false)),
        a([cat(i16(0), i32(1), i32(0), when(v >= 7, i32(-1)), a([i32(0)]), a([i32(0)]), when(v >= 5, a([])), t)]),
        when(v >= 8, i32(3576)), t)]),
      when(v >= 8 && v <= 10, i32(8096)),
      when(v >= 13, i16(0)),
      t,
    ),
  };
});

test('Metadata v12: a topic asked by id alone decodes with a null name', () => {
  const req = metadata.decodeRequest(new Reader(cat(carr([cat(uuid(TOPIC_ID.replace(/-/g, '')), cstr(null), tags())]), bool(false), bool(false), tags())), 12);
  assert.equal(req.topics, [{ topicId: TOPIC_ID, name: null }]);
});

test('Metadata v12: an unknown topic encodes a null name', () => {
  const w = new Writer();
  metadata.encodeResponse(w, 12, {
    throttleTimeMs: 0, brokers: [], clusterId: null, controllerId: 0, clusterAuthorizedOperations: 0,
    topics: [{ errorCode: 100, name: null, topicId: TOPIC_ID, isInternal: false, partitions: [], authorizedOperations: -2147483648 }],
  });
  const r = new Reader(w.toBuffer());
  r.int32(); r.compactArray(() => 0); r.compactNullableString(); r.int32();
  const [topic] = r.compactArray((r) => ({ errorCode: r.int16(), name: r.compactNullableString(), id: r.uuid() }));
  assert.equal(topic, { errorCode: 100, name: null, id: TOPIC_ID });
});

test('Metadata v0: an empty topic list means all topics', () => {
  assert.equal(metadata.decodeRequest(new Reader(arr([])), 0).topics, null);
  assert.equal(metadata.decodeRequest(new Reader(arr([])), 1).topics, []);
});

const CREATED_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

check(createTopics, (v) => {
  const flex = v >= 5, s = flex ? cstr : str, a = flex ? carr : arr, t = when(flex, tags());
  return {
    request: cat(
      a([cat(s('t'), i32(3), i16(1), a([]), a([cat(s('cleanup.policy'), s('compact'), t)]), t)]),
      i32(5000), when(v >= 1, bool(true)), t,
    ),
    decoded: {
      topics: [{ name: 't', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] }],
      timeoutMs: 5000, validateOnly: v >= 1,
    },
    response: {
      throttleTimeMs: 0,
      topics: [{
        name: 't', topicId: CREATED_ID, errorCode: 0, errorMessage: null, numPartitions: 3, replicationFactor: 1,
        configs: [{ name: 'cleanup.policy', value: 'compact', readOnly: false, source: 1, isSensitive: false }],
      }],
    },
    encoded: cat(when(v >= 2, i32(0)), a([cat(
      s('t'), when(v >= 7, uuid(CREATED_ID.replace(/-/g, ''))), i16(0), when(v >= 1, s(null)),
      when(flex, i32(3), i16(1), carr([cat(cstr('cleanup.policy'), cstr('compact'), bool(false), i8(1), bool(false), tags())])),
      t,
    )]), t),
  };
});

check(deleteTopics, (v) => {
  const flex = v >= 4, s = flex ? cstr : str, a = flex ? carr : arr, t = when(flex, tags());
  const none = '00000000-0000-0000-0000-000000000000';
  const id = (x: string) => uuid(x.replace(/-/g, ''));
  return {
    request: cat(
      v >= 6 ? carr([cat(cstr('a'), id(none), tags()), cat(cstr(null), id(CREATED_ID), tags())]) : a([s('a'), s('b')]),
      i32(1000), t,
    ),
    decoded: {
      topics: v >= 6 ? [{ name: 'a', topicId: none }, { name: null, topicId: CREATED_ID }] : [{ name: 'a', topicId: none }, { name: 'b', topicId: none }],
      timeoutMs: 1000,
    },
    response: {
      throttleTimeMs: 0,
      responses: [{ name: 'a', topicId: CREATED_ID, errorCode: 0, errorMessage: null }, { name: 'b', topicId: none, errorCode: 3, errorMessage: 'gone' }],
    },
    encoded: cat(when(v >= 1, i32(0)), a([
      cat(s('a'), when(v >= 6, id(CREATED_ID)), i16(0), when(v >= 5, cstr(null)), t),
      cat(s('b'), when(v >= 6, id(none)), i16(3), when(v >= 5, cstr('gone')), t),
    ]), t),
  };
});

check(produce, (v) => {
  const records = Buffer.from('0102030405', 'hex');
  const flex = v >= 9, s = flex ? cstr : str, a = flex ? carr : arr, b = flex ? cbytes : bytes, t = when(flex, tags());
  // From v13 the topic is its id (KIP-516), in the request and the response.
  const named = v >= 13 ? uuid(TOPIC_ID.replace(/-/g, '')) : s('t');
  const ref = v >= 13 ? { name: '', topicId: TOPIC_ID } : { name: 't', topicId: ZERO_UUID };
  return {
    request: cat(s(null), i16(-1), i32(30000), a([cat(named, a([cat(i32(0), b(records), t)]), t)]), t),
    decoded: { transactionalId: null, acks: -1, timeoutMs: 30000, topics: [{ ...ref, partitions: [{ partition: 0, records }] }] },
    response: { topics: [{ ...ref, partitions: [{ partition: 0, errorCode: 0, baseOffset: 42, logAppendTimeMs: -1, logStartOffset: 0 }] }], throttleTimeMs: 0 },
    encoded: cat(a([cat(named, a([cat(i32(0), i16(0), i64(42), i64(-1), when(v >= 5, i64(0)), when(v >= 8, a([]), s(null)), t)]), t)]), i32(0), t),
  };
});

check(fetch, (v) => {
  const batch = Buffer.from('aabbcc', 'hex');
  const flex = v >= 12, s = flex ? cstr : str, a = flex ? carr : arr, b = flex ? cbytes : bytes, t = when(flex, tags());
  // From v13 the topic is its id.
  const named = v >= 13 ? uuid(TOPIC_ID.replace(/-/g, '')) : s('t');
  const ref = v >= 13 ? { topic: '', topicId: TOPIC_ID } : { topic: 't', topicId: ZERO_UUID };
  return {
    request: cat(
      // From v15 the replica id is a tag (replica_state), which a consumer leaves out.
      when(v <= 14, i32(-1)), i32(500), i32(1), i32(1 << 20), i8(1), when(v >= 7, i32(0), i32(-1)),
      // A follower's high watermark tag (1, v18): skipped.
      a([cat(named, a([cat(i32(2), when(v >= 9, i32(-1)), i64(10), when(v >= 12, i32(3)), when(v >= 5, i64(-1)), i32(4096), v >= 18 ? tags([1, i64(9)]) : t)]), t)]),
      when(v >= 7, a([])), when(v >= 11, s('')),
      // a cluster id tag (0), as a follower would send it: skipped
      when(flex, tags([0, cstr('c')])),
    ),
    decoded: {
      replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1,
      sessionId: 0, sessionEpoch: -1,
      topics: [{ ...ref, partitions: [{ partition: 2, currentLeaderEpoch: -1, fetchOffset: 10, lastFetchedEpoch: v >= 12 ? 3 : -1, logStartOffset: -1, maxBytes: 4096 }] }],
      forgotten: [], rackId: '',
    },
    response: {
      throttleTimeMs: 0, errorCode: 0, sessionId: 0,
      topics: [{ ...ref, partitions: [{
        partition: 2, errorCode: 0, highWatermark: 11, lastStableOffset: 11, logStartOffset: 0,
        abortedTransactions: [{ producerId: 7, firstOffset: 4 }], preferredReadReplica: -1, records: [batch],
      }] }],
    },
    encoded: cat(
      i32(0), when(v >= 7, i16(0), i32(0)),
      a([cat(named, a([cat(
        i32(2), i16(0), i64(11), i64(11), when(v >= 5, i64(0)), a([cat(i64(7), i64(4), t)]), when(v >= 11, i32(-1)), b(batch), t,
      )]), t)]),
      t,
    ),
  };
});

test('Fetch v12: a partition without records encodes null compact records (0x00)', () => {
  const w = new Writer();
  fetch.encodeResponse(w, 12, { throttleTimeMs: 0, errorCode: 0, sessionId: 0, topics: [{ topic: 't', topicId: ZERO_UUID, partitions: [{
    partition: 0, errorCode: 3, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, preferredReadReplica: -1, records: null,
  }] }] });
  const expected = cat(i32(0), i16(0), i32(0), carr([cat(cstr('t'), carr([cat(i32(0), i16(3), i64(-1), i64(-1), i64(-1), carr(null), i32(-1), cbytes(null), tags())]), tags())]), tags());
  assert.is(w.toBuffer().toString('hex'), expected.toString('hex'));
});

test('Fetch: a partition without records encodes a null record set', () => {
  const w = new Writer();
  fetch.encodeResponse(w, 4, { throttleTimeMs: 0, errorCode: 0, sessionId: 0, topics: [{ topic: 't', topicId: ZERO_UUID, partitions: [{
    partition: 0, errorCode: 3, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, preferredReadReplica: -1, records: null,
  }] }] });
  assert.is(w.toBuffer().toString('hex'), cat(i32(0), arr([cat(str('t'), arr([cat(i32(0), i16(3), i64(-1), i64(-1), arr(null), bytes(null))]))])).toString('hex'));
});

check(listOffsets, (v) => {
  const flex = v >= 6, s = flex ? cstr : str, a = flex ? carr : arr, t = when(flex, tags());
  return {
    request: cat(i32(-1), when(v >= 2, i8(0)), a([cat(s('t'), a([cat(i32(0), when(v >= 4, i32(-1)), i64(-2), t)]), t)]), when(v >= 10, i32(30_000)), t),
    decoded: { replicaId: -1, isolationLevel: 0, topics: [{ name: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, timestamp: -2 }] }] },
    response: { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partition: 0, errorCode: 0, timestamp: -1, offset: 17 }] }] },
    encoded: cat(when(v >= 2, i32(0)), a([cat(s('t'), a([cat(i32(0), i16(0), i64(-1), i64(17), when(v >= 4, i32(-1)), t)]), t)]), t),
  };
});


check(describeConfigs, (v) => {
  const flex = v >= 4;
  const s = flex ? cstr : str, a = flex ? carr : arr, t = flex ? tags() : Buffer.alloc(0);
  return {
    request: cat(a([cat(i8(2), s('t'), a([s('cleanup.policy')]), t)]), when(v >= 1, bool(false)), when(v >= 3, bool(true)), t),
    decoded: { resources: [{ type: 2, name: 't', keys: ['cleanup.policy'] }], includeSynonyms: false, includeDocumentation: v >= 3 },
    response: { throttleTimeMs: 0, results: [{ errorCode: 0, errorMessage: null, type: 2, name: 't', configs: [
      { name: 'cleanup.policy', value: 'compact', readOnly: false, source: 1, isSensitive: false, configType: 7, documentation: 'd' },
    ] }] },
    encoded: cat(i32(0), a([cat(i16(0), s(null), i8(2), s('t'), a([cat(
      s('cleanup.policy'), s('compact'), bool(false),
      v === 0 ? bool(false) : i8(1), // v0: is_default; v1+: config_source (1 = dynamic topic config)
      bool(false), when(v >= 1, a([])),
      when(v >= 3, i8(7), s('d')), // v3+: config_type (7 = LIST), documentation
      t,
    )]), t)]), t),
  };
});

test('DescribeConfigs v1: synonyms are written most specific first (name, value, source)', () => {
  const w = new Writer();
  describeConfigs.encodeResponse(w, 1, { throttleTimeMs: 0, results: [{ errorCode: 0, errorMessage: null, type: 2, name: 't', configs: [
    { name: 'cleanup.policy', value: 'compact', readOnly: false, source: 1, isSensitive: false, synonyms: [
      { name: 'cleanup.policy', value: 'compact', source: 1 }, { name: 'log.cleanup.policy', value: 'delete', source: 5 },
    ] },
  ] }] });
  assert.equal(Buffer.concat(w.toBuffers()), cat(i32(0), arr([cat(i16(0), str(null), i8(2), str('t'), arr([cat(
    str('cleanup.policy'), str('compact'), bool(false), i8(1), bool(false),
    arr([cat(str('cleanup.policy'), str('compact'), i8(1)), cat(str('log.cleanup.policy'), str('delete'), i8(5))]),
  )]))])));
});

/** The string, array and tagged-field builders of a version: compact and tagged from `flexibleFrom`. */
const layout = (v: number, flexibleFrom: number) => {
  const flex = v >= flexibleFrom;
  return { s: flex ? cstr : str, a: flex ? carr : arr, t: when(flex, tags()) };
};

check(deleteRecords, (v) => {
  const { s, a, t } = layout(v, 2);
  return {
    request: cat(a([cat(s('t'), a([cat(i32(1), i64(5), t)]), t)]), i32(5000), t),
    decoded: { topics: [{ name: 't', partitions: [{ partition: 1, offset: 5 }] }], timeoutMs: 5000 },
    response: { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partition: 1, lowWatermark: 5, errorCode: 0 }] }] },
    encoded: cat(i32(0), a([cat(s('t'), a([cat(i32(1), i64(5), i16(0), t)]), t)]), t),
  };
});

check(alterConfigs, (v) => {
  const { s, a, t } = layout(v, 2);
  return {
    request: cat(a([cat(i8(2), s('t'), a([cat(s('cleanup.policy'), s('compact'), t), cat(s('retention.ms'), s(null), t)]), t)]), bool(false), t),
    decoded: { resources: [{ type: 2, name: 't', configs: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: null }] }], validateOnly: false },
    response: { throttleTimeMs: 0, responses: [{ errorCode: 0, errorMessage: null, type: 2, name: 't' }] },
    encoded: cat(i32(0), a([cat(i16(0), s(null), i8(2), s('t'), t)]), t),
  };
});

check(createPartitions, (v) => {
  const { s, a, t } = layout(v, 2);
  return {
    request: cat(a([cat(s('t'), i32(4), a(null), t), cat(s('u'), i32(2), a([cat(a([i32(0)]), t)]), t)]), i32(1000), bool(false), t),
    decoded: { topics: [{ name: 't', count: 4, assignments: null }, { name: 'u', count: 2, assignments: [[0]] }], timeoutMs: 1000, validateOnly: false },
    response: { throttleTimeMs: 0, results: [{ name: 't', errorCode: 37, errorMessage: 'no' }] },
    encoded: cat(i32(0), a([cat(s('t'), i16(37), s('no'), t)]), t),
  };
});

test.run();
