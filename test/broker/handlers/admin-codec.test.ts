// Golden bytes for the KIP-848 and admin APIs, every advertised version, laid out field by
// field from Kafka's message specs: ConsumerGroupHeartbeat, ConsumerGroupDescribe,
// IncrementalAlterConfigs, OffsetDelete, DescribeCluster.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from './golden-check.ts';
import { consumerGroupHeartbeat } from '../../../lib/broker/handlers/68-consumer-group-heartbeat.ts';
import { consumerGroupDescribe } from '../../../lib/broker/handlers/69-consumer-group-describe.ts';
import { applyIncremental, incrementalAlterConfigs } from '../../../lib/broker/handlers/44-incremental-alter-configs.ts';
import { offsetDelete } from '../../../lib/broker/handlers/47-offset-delete.ts';
import { describeCluster } from '../../../lib/broker/handlers/60-describe-cluster.ts';
import { arr, bool, carr, cat, cstr, i16, i32, i8, str, tags, uuid, when } from './golden.ts';

const TID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const tid = uuid(TID.replace(/-/g, ''));

check(consumerGroupHeartbeat, (v) => ({
  request: cat(
    cstr('g'), cstr('m'), i32(0), cstr(null), cstr(null), i32(300000), carr([cstr('t')]),
    when(v >= 1, cstr(null)), cstr('range'), carr([]), tags(),
  ),
  decoded: {
    groupId: 'g', memberId: 'm', memberEpoch: 0, instanceId: null, rackId: null, rebalanceTimeoutMs: 300000,
    subscribedTopicNames: ['t'], subscribedTopicRegex: null, serverAssignor: 'range', topicPartitions: [],
  },
  response: {
    throttleTimeMs: 0, errorCode: 0, errorMessage: null, memberId: 'm', memberEpoch: 3, heartbeatIntervalMs: 5000,
    assignment: [{ topicId: TID, partitions: [0, 2] }],
  },
  encoded: cat(
    i32(0), i16(0), cstr(null), cstr('m'), i32(3), i32(5000),
    i8(1), carr([cat(tid, carr([i32(0), i32(2)]), tags())]), tags(),
    tags(),
  ),
}));

test('ConsumerGroupHeartbeat: a response without an assignment writes the null struct marker', async () => {
  const { Writer } = await import('../../../lib/broker/protocol/writer.ts');
  const w = new Writer();
  consumerGroupHeartbeat.encodeResponse(w, 1, { throttleTimeMs: 0, errorCode: 113, errorMessage: 'stale', memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null });
  assert.is(w.toBuffer().toString('hex'), cat(i32(0), i16(113), cstr('stale'), cstr(null), i32(-1), i32(0), i8(-1), tags()).toString('hex'));
});

check(consumerGroupDescribe, (v) => {
  const part = carr([cat(tid, cstr('t'), carr([i32(1)]), tags())]);
  return {
    request: cat(carr([cstr('g'), cstr('x')]), bool(false), tags()),
    decoded: { groupIds: ['g', 'x'], includeAuthorizedOperations: false },
    response: {
      throttleTimeMs: 0,
      groups: [
        {
          kind: 'group', groupId: 'g', state: 'Stable', groupEpoch: 4, assignmentEpoch: 4, assignorName: 'uniform',
          members: [{
            memberId: 'm', instanceId: null, rackId: null, memberEpoch: 4, clientId: 'c', clientHost: '',
            subscribedTopicNames: ['t'], subscribedTopicRegex: null,
            assignment: [{ topicId: TID, topicName: 't', partitions: [1] }], targetAssignment: [{ topicId: TID, topicName: 't', partitions: [1] }],
          }],
        },
        { kind: 'error', groupId: 'x', errorCode: 69, errorMessage: 'Group x not found.' },
      ],
    },
    encoded: cat(i32(0), carr([
      cat(
        i16(0), cstr(null), cstr('g'), cstr('Stable'), i32(4), i32(4), cstr('uniform'),
        carr([cat(
          cstr('m'), cstr(null), cstr(null), i32(4), cstr('c'), cstr(''), carr([cstr('t')]), cstr(null),
          part, tags(), part, tags(), when(v >= 1, i8(1)), tags(),
        )]),
        i32(-2147483648), tags(),
      ),
      cat(i16(69), cstr('Group x not found.'), cstr('x'), cstr(''), i32(-1), i32(-1), cstr(''), carr([]), i32(-2147483648), tags()),
    ]), tags()),
  };
});

check(incrementalAlterConfigs, (v) => {
  const flex = v >= 1, s = flex ? cstr : str, a = flex ? carr : arr, t = when(flex, tags());
  return {
    request: cat(a([cat(i8(2), s('t'), a([cat(s('cleanup.policy'), i8(2), s('compact'), t)]), t)]), bool(false), t),
    decoded: { resources: [{ type: 2, name: 't', configs: [{ name: 'cleanup.policy', operation: 2, value: 'compact' }] }], validateOnly: false },
    response: { throttleTimeMs: 0, responses: [{ errorCode: 0, errorMessage: null, type: 2, name: 't' }] },
    encoded: cat(i32(0), a([cat(i16(0), s(null), i8(2), s('t'), t)]), t),
  };
});

test('IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT as Kafka applies them', () => {
  const cur = new Map([['retention.ms', '1000']]);
  const out = applyIncremental(cur, [
    { name: 'cleanup.policy', operation: 2, value: 'compact' },
    { name: 'retention.ms', operation: 1, value: null },
    { name: 'max.message.bytes', operation: 0, value: '2000' },
  ]);
  assert.equal(out, new Map([['cleanup.policy', 'delete,compact'], ['max.message.bytes', '2000']]));
  assert.equal(applyIncremental(out as Map<string, string>, [{ name: 'cleanup.policy', operation: 3, value: 'delete' }]),
    new Map([['cleanup.policy', 'compact'], ['max.message.bytes', '2000']]));
  assert.type(applyIncremental(cur, [{ name: 'retention.ms', operation: 2, value: '5' }]), 'string', 'APPEND to a non-list config is refused');
});

check(offsetDelete, () => ({
  request: cat(str('g'), arr([cat(str('t'), arr([i32(0), i32(1)]))])),
  decoded: { groupId: 'g', topics: [{ name: 't', partitions: [0, 1] }] },
  response: { errorCode: 0, throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partition: 0, errorCode: 0 }, { partition: 1, errorCode: 86 }] }] },
  encoded: cat(i16(0), i32(0), arr([cat(str('t'), arr([cat(i32(0), i16(0)), cat(i32(1), i16(86))]))])),
}));

check(describeCluster, (v) => ({
  request: cat(bool(false), when(v >= 1, i8(1)), when(v >= 2, bool(false)), tags()),
  decoded: { includeClusterAuthorizedOperations: false, endpointType: 1, includeFencedBrokers: false },
  response: {
    throttleTimeMs: 0, errorCode: 0, errorMessage: null, endpointType: 1, clusterId: 'c', controllerId: 0,
    brokers: [{ brokerId: 0, host: 'h', port: 9092, rack: null, isFenced: false }], clusterAuthorizedOperations: -2147483648,
  },
  encoded: cat(
    i32(0), i16(0), cstr(null), when(v >= 1, i8(1)), cstr('c'), i32(0),
    carr([cat(i32(0), cstr('h'), i32(9092), cstr(null), when(v >= 2, bool(false)), tags())]),
    i32(-2147483648), tags(),
  ),
}));

test.run();
