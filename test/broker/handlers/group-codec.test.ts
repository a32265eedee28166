// Golden bytes for the group APIs, every advertised version: requests decode to the expected
// fields and responses encode to the bytes laid out field by field from Kafka's message specs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Reader } from '../../../lib/broker/protocol/reader.ts';
import { check } from './golden-check.ts';
import { offsetCommit } from '../../../lib/broker/handlers/08-offset-commit.ts';
import { offsetFetch } from '../../../lib/broker/handlers/09-offset-fetch.ts';
import { findCoordinator } from '../../../lib/broker/handlers/10-find-coordinator.ts';
import { joinGroup } from '../../../lib/broker/handlers/11-join-group.ts';
import { heartbeat } from '../../../lib/broker/handlers/12-heartbeat.ts';
import { leaveGroup } from '../../../lib/broker/handlers/13-leave-group.ts';
import { syncGroup } from '../../../lib/broker/handlers/14-sync-group.ts';
import { describeGroups } from '../../../lib/broker/handlers/15-describe-groups.ts';
import { listGroups } from '../../../lib/broker/handlers/16-list-groups.ts';
import { deleteGroups } from '../../../lib/broker/handlers/42-delete-groups.ts';
import { arr, bool, bytes, carr, cat, cbytes, cstr, i16, i32, i64, i8, str, tags, uuid, when } from './golden.ts';



const B = (s: string) => Buffer.from(s);

check(findCoordinator, (v) => {
  const flex = v >= 3;
  const s = flex ? cstr : str;
  const coordinator = { key: 'g', nodeId: 0, host: 'h', port: 9092, errorCode: 0, errorMessage: null };
  return {
    request: v >= 4 ? cat(i8(1), carr([cstr('g')]), tags()) : cat(s('g'), when(v >= 1, i8(1)), when(flex, tags())),
    decoded: { keyType: v >= 1 ? 1 : 0, keys: ['g'] },
    response: { throttleTimeMs: 5, coordinators: [coordinator] },
    encoded: v >= 4
      ? cat(i32(5), carr([cat(cstr('g'), i32(0), cstr('h'), i32(9092), i16(0), cstr(null), tags())]), tags())
      : cat(when(v >= 1, i32(5)), i16(0), when(v >= 1, s(null)), i32(0), s('h'), i32(9092), when(flex, tags())),
  };
});

test('FindCoordinator v4 answers every batched key', async () => {
  const res = findCoordinator.decodeRequest(new Reader(cat(i8(0), carr([cstr('a'), cstr('b')]), tags())), 4);
  assert.equal(res, { keyType: 0, keys: ['a', 'b'] });
});

const flexAt = (first: number, v: number) => {
  const flex = v >= first;
  return { flex, s: flex ? cstr : str, a: flex ? carr : arr, b: flex ? cbytes : bytes, t: when(flex, tags()) };
};

check(joinGroup, (v) => {
  const { s, a, b, t } = flexAt(6, v);
  return {
    request: cat(
      s('g'), i32(30000), when(v >= 1, i32(60000)), s('m'), when(v >= 5, s('inst')),
      s('consumer'), a([cat(s('range'), b(B('md')), t)]), when(v >= 8, cstr('rejoin')), t,
    ),
    decoded: {
      groupId: 'g', sessionTimeoutMs: 30000, rebalanceTimeoutMs: v >= 1 ? 60000 : 30000, memberId: 'm',
      groupInstanceId: v >= 5 ? 'inst' : null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: B('md') }],
    },
    response: {
      throttleTimeMs: 1, errorCode: 0, generationId: 3, protocolType: 'consumer', protocolName: 'range', leader: 'm', memberId: 'm',
      members: [{ memberId: 'm', groupInstanceId: null, metadata: B('md') }],
    },
    encoded: cat(
      when(v >= 2, i32(1)), i16(0), i32(3), when(v >= 7, cstr('consumer')), s('range'), s('m'), when(v >= 9, bool(false)), s('m'),
      a([cat(s('m'), when(v >= 5, s(null)), b(B('md')), t)]), t,
    ),
  };
});

check(heartbeat, (v) => {
  const { s, t } = flexAt(4, v);
  return {
    request: cat(s('g'), i32(4), s('m'), when(v >= 3, s(null)), t),
    decoded: { groupId: 'g', generationId: 4, memberId: 'm', groupInstanceId: null },
    response: { throttleTimeMs: 2, errorCode: 27 },
    encoded: cat(when(v >= 1, i32(2)), i16(27), t),
  };
});

check(leaveGroup, (v) => {
  const { s, a, t } = flexAt(4, v);
  return {
    request: v < 3 ? cat(str('g'), str('m')) : cat(s('g'), a([cat(s('m'), s('i'), when(v >= 5, cstr('bye')), t)]), t),
    decoded: { groupId: 'g', members: [{ memberId: 'm', groupInstanceId: v < 3 ? null : 'i' }] },
    response: { throttleTimeMs: 2, result: { errorCode: 0, members: [{ memberId: 'm', groupInstanceId: 'i', errorCode: 25 }] } },
    // Before v3 the single member's error is the response's error.
    encoded: v < 3
      ? cat(when(v >= 1, i32(2)), i16(25))
      : cat(i32(2), i16(0), a([cat(s('m'), s('i'), i16(25), t)]), t),
  };
});

check(syncGroup, (v) => {
  const { s, a, b, t } = flexAt(4, v);
  return {
    request: cat(s('g'), i32(2), s('m'), when(v >= 3, s(null)), when(v >= 5, cstr('consumer'), cstr('range')), a([cat(s('m'), b(B('as')), t)]), t),
    decoded: {
      groupId: 'g', generationId: 2, memberId: 'm', groupInstanceId: null,
      protocolType: v >= 5 ? 'consumer' : null, protocolName: v >= 5 ? 'range' : null,
      assignments: [{ memberId: 'm', assignment: B('as') }],
    },
    response: { throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: B('as') },
    encoded: cat(when(v >= 1, i32(0)), i16(0), when(v >= 5, cstr('consumer'), cstr('range')), b(B('as')), t),
  };
});

const TID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const NO_TID = '00000000-0000-0000-0000-000000000000';
const tid = (id: string) => uuid(id.replace(/-/g, ''));

check(offsetCommit, (v) => {
  const { s, a, t } = flexAt(8, v);
  const topicKey = v >= 10 ? tid(TID) : s('t');
  return {
    request: cat(
      s('g'), when(v >= 1, i32(5), s('m')), when(v >= 7, s(null)), when(v >= 2 && v <= 4, i64(-1)),
      a([cat(topicKey, a([cat(i32(0), i64(42), when(v >= 6, i32(7)), when(v === 1, i64(123)), s('meta'), t)]), t)]), t,
    ),
    decoded: {
      groupId: 'g', generationId: v >= 1 ? 5 : -1, memberId: v >= 1 ? 'm' : '', groupInstanceId: null,
      topics: [{ name: v >= 10 ? '' : 't', topicId: v >= 10 ? TID : NO_TID, partitions: [{ partition: 0, offset: 42, leaderEpoch: v >= 6 ? 7 : -1, metadata: 'meta' }] }],
    },
    response: { throttleTimeMs: 9, topics: [{ name: 't', topicId: TID, partitions: [{ partition: 0, errorCode: 22 }] }] },
    encoded: cat(when(v >= 3, i32(9)), a([cat(topicKey, a([cat(i32(0), i16(22), t)]), t)]), t),
  };
});

check(offsetFetch, (v) => {
  const { s, a, t } = flexAt(6, v);
  const topicKey = v >= 10 ? tid(TID) : s('t');
  const topicsIn = a([cat(topicKey, a([i32(0), i32(1)]), t)]);
  const topicsOut = a([cat(topicKey, a([cat(i32(0), i64(-1), when(v >= 5, i32(-1)), s(''), i16(0), t)]), t)]);
  return {
    request: cat(v >= 8 ? carr([cat(cstr('g'), when(v >= 9, cstr('m'), i32(3)), topicsIn, t)]) : cat(s('g'), topicsIn), when(v >= 7, bool(true)), t),
    decoded: {
      groups: [{
        groupId: 'g', memberId: v >= 9 ? 'm' : null, memberEpoch: v >= 9 ? 3 : -1,
        topics: [{ name: v >= 10 ? '' : 't', topicId: v >= 10 ? TID : NO_TID, partitions: [0, 1] }],
      }],
      requireStable: v >= 7,
    },
    response: {
      throttleTimeMs: 3,
      groups: [{ groupId: 'g', errorCode: 0, topics: [{ name: 't', topicId: TID, partitions: [{ partition: 0, offset: -1, leaderEpoch: -1, metadata: '', errorCode: 0 }] }] }],
    },
    encoded: cat(
      when(v >= 3, i32(3)),
      v >= 8 ? carr([cat(cstr('g'), topicsOut, i16(0), t)]) : cat(topicsOut, when(v >= 2, i16(0))),
      t,
    ),
  };
});

test('OffsetFetch v2+: a null topic array asks for every committed partition', () => {
  const r = new Reader(cat(str('g'), arr(null)));
  assert.equal(offsetFetch.decodeRequest(r, 2), { groups: [{ groupId: 'g', memberId: null, memberEpoch: -1, topics: null }], requireStable: false });
});

test('OffsetFetch v8: several groups in one request', () => {
  const r = new Reader(cat(carr([cat(cstr('a'), carr(null), tags()), cat(cstr('b'), carr([]), tags())]), bool(false), tags()));
  assert.equal(offsetFetch.decodeRequest(r, 8), { groups: [{ groupId: 'a', memberId: null, memberEpoch: -1, topics: null }, { groupId: 'b', memberId: null, memberEpoch: -1, topics: [] }], requireStable: false });
});

check(describeGroups, (v) => {
  const { s, a, t } = flexAt(5, v);
  const b = v >= 5 ? cbytes : bytes;
  return {
    request: cat(a([s('g')]), when(v >= 3, bool(false)), t),
    decoded: { groupIds: ['g'], includeAuthorizedOperations: false },
    response: {
      throttleTimeMs: 0,
      groups: [{
        errorCode: 0, errorMessage: null, groupId: 'g', state: 'Stable', protocolType: 'consumer', protocol: 'range',
        members: [{ memberId: 'm', groupInstanceId: null, clientId: 'c', clientHost: '/h', metadata: B('md'), assignment: B('as') }],
      }],
    },
    encoded: cat(
      when(v >= 1, i32(0)),
      a([cat(
        i16(0), when(v >= 6, cstr(null)), s('g'), s('Stable'), s('consumer'), s('range'),
        a([cat(s('m'), when(v >= 4, s(null)), s('c'), s('/h'), b(B('md')), b(B('as')), t)]),
        when(v >= 3, i32(-2147483648)), t,
      )]),
      t,
    ),
  };
});

check(listGroups, (v) => {
  const { s, a, t } = flexAt(3, v);
  return {
    request: cat(when(v >= 4, carr([cstr('Stable')])), when(v >= 5, carr([cstr('consumer')])), t),
    decoded: { statesFilter: v >= 4 ? ['Stable'] : [], typesFilter: v >= 5 ? ['consumer'] : [] },
    response: { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' }] },
    encoded: cat(when(v >= 1, i32(0)), i16(0), a([cat(s('g'), s('consumer'), when(v >= 4, cstr('Stable')), when(v >= 5, cstr('consumer')), t)]), t),
  };
});

check(deleteGroups, (v) => {
  const { s, a, t } = flexAt(2, v);
  return {
    request: cat(a([s('g')]), t),
    decoded: { groupIds: ['g'] },
    response: { throttleTimeMs: 0, results: [{ groupId: 'g', errorCode: 68, errorMessage: 'The group is not empty.' }] },
    encoded: cat(i32(0), a([cat(s('g'), i16(68), when(v >= 3, cstr('The group is not empty.')), t)]), t),
  };
});

test.run();
