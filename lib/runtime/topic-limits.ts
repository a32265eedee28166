import kafkajs, { type Admin } from 'kafkajs';
import { DEFAULT_MAX_MESSAGE_BYTES } from './record-size.ts';

const { ConfigResourceTypes } = kafkajs;

/**
 * Each topic's `max.message.bytes` (the largest record batch the broker appends), read once per
 * topic with DescribeConfigs and cached. A topic that cannot be described gets the broker
 * default; the broker's own refusal then still reaches the production handler.
 */
export class TopicLimits {
  readonly #known = new Map<string, number>();

  constructor(
    private readonly admin: Admin,
    private readonly log: (message: string) => void,
  ) {}

  /** Describes the topics not known yet, in one request. */
  async load(topics: Iterable<string>): Promise<void> {
    const unknown = [...new Set(topics)].filter((t) => !this.#known.has(t));
    if (unknown.length === 0) return;
    try {
      const { resources } = await this.admin.describeConfigs({
        includeSynonyms: false,
        resources: unknown.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] })),
      });
      for (const r of resources) {
        const value = Number(r.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue);
        if (r.errorCode === 0 && Number.isInteger(value) && value > 0) this.#known.set(r.resourceName, value);
      }
    } catch (err) {
      this.log(`reading max.message.bytes of ${unknown.join(', ')} failed, assuming ${DEFAULT_MAX_MESSAGE_BYTES}: ${String(err)}`);
    }
    for (const t of unknown) if (!this.#known.has(t)) this.#known.set(t, DEFAULT_MAX_MESSAGE_BYTES);
  }

  limit(topic: string): number {
    return this.#known.get(topic) ?? DEFAULT_MAX_MESSAGE_BYTES;
  }
}
