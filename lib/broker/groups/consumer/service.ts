// The broker's one consumer group coordinator (KIP-848), next to the classic one it shares
// committed offsets and group ids with.
import type { BrokerState } from '../../state.ts';
import { groupCoordinator } from '../service.ts';
import { ConsumerGroupService } from './admin.ts';

const KEY = Symbol('consumer-group-coordinator');

export function consumerGroups(broker: BrokerState): ConsumerGroupService {
  return broker.service(KEY, (b) => {
    const classic = groupCoordinator(b);
    const service = new ConsumerGroupService({
      topics: b.topics,
      classic,
      heartbeatIntervalMs: b.config.consumerGroupHeartbeatIntervalMs,
      sessionTimeoutMs: b.config.consumerGroupSessionTimeoutMs,
    });
    classic.consumerGroups = {
      has: (id) => service.group(id) !== undefined,
      validateCommit: (id, memberId, epoch) => service.validateCommit(id, memberId, epoch, { transactional: true }),
    };
    return service;
  });
}
