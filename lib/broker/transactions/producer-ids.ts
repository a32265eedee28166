// The broker's producer id allocator, shared by idempotent and transactional producers.
import type { BrokerState } from '../state.ts';

/**
 * Producer ids start from the clock (ms × 1000), so ids handed out after a restart never
 * meet a persisted log's sequence state for an older producer with the same id.
 */
export class ProducerIds {
  private next = Date.now() * 1000;
  allocate(): number { return this.next++; }
}

export const producerIds = (broker: BrokerState): ProducerIds => broker.service('producer-ids', () => new ProducerIds());
