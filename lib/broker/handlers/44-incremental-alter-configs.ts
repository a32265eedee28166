// IncrementalAlterConfigs (44), v0–v1 (v1 is flexible). Changes single topic configs: SET (0),
// DELETE (1, back to the default), APPEND (2) / SUBTRACT (3) for list-typed configs
// (cleanup.policy); the result is validated as at CreateTopics (INVALID_CONFIG). Broker
// configs are static here: INVALID_REQUEST, as for AlterConfigs.
import { ErrorCode } from '../protocol/errors.ts';
import { topicConfigProblem } from '../storage/topic-config.ts';
import { defineHandler } from './types.ts';

const TOPIC = 2;
const Op = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
/** Topic configs of Kafka's LIST type among those a client may append to. */
const LIST_CONFIGS = new Set(['cleanup.policy', 'leader.replication.throttled.replicas', 'follower.replication.throttled.replicas']);
/** What DELETE falls back to for list configs, so APPEND works on an unset config. */
const LIST_DEFAULTS: Record<string, string> = { 'cleanup.policy': 'delete' };

export interface IncrementalAlterConfigsRequest {
  resources: { type: number; name: string; configs: { name: string; operation: number; value: string | null }[] }[];
  validateOnly: boolean;
}
export interface IncrementalAlterConfigsResponse {
  throttleTimeMs: number;
  responses: { errorCode: number; errorMessage: string | null; type: number; name: string }[];
}

/** Applies the operations to a copy of `current`; a string is the reason it cannot. */
export function applyIncremental(current: ReadonlyMap<string, string>, ops: IncrementalAlterConfigsRequest['resources'][number]['configs']): Map<string, string> | string {
  const next = new Map(current);
  for (const { name, operation, value } of ops) {
    const list = () => (next.get(name) ?? LIST_DEFAULTS[name] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    switch (operation) {
      case Op.SET:
        if (value === null) return `Null value not supported for : ${name}`;
        next.set(name, value);
        break;
      case Op.DELETE:
        next.delete(name);
        break;
      case Op.APPEND:
      case Op.SUBTRACT: {
        if (!LIST_CONFIGS.has(name)) return `Config value append is not allowed for config key: ${name}`;
        const items = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
        const cur = list();
        const out = operation === Op.APPEND ? [...cur, ...items.filter((i) => !cur.includes(i))] : cur.filter((i) => !items.includes(i));
        next.set(name, out.join(','));
        break;
      }
      default:
        return `Unknown config operation ${operation} for ${name}`;
    }
  }
  return next;
}

export const incrementalAlterConfigs = defineHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 1,
  decodeRequest(r, v) {
    const flex = v >= 1;
    const resources = r.array((r) => {
      const type = r.int8(), name = r.string(flex);
      const configs = r.array((r) => {
        const c = { name: r.string(flex), operation: r.int8(), value: r.nullableString(flex) };
        if (flex) r.taggedFields();
        return c;
      }, flex);
      if (flex) r.taggedFields();
      return { type, name, configs };
    }, flex);
    const validateOnly = r.boolean();
    if (flex) r.taggedFields();
    return { resources, validateOnly };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 1;
    w.int32(res.throttleTimeMs);
    w.array(res.responses, (w, x) => {
      w.int16(x.errorCode).nullableString(x.errorMessage, flex).int8(x.type).string(x.name, flex);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  handle(req, { broker }) {
    const responses = req.resources.map(({ type, name, configs }) => {
      const answer = (errorCode: number, errorMessage: string | null) => ({ errorCode, errorMessage, type, name });
      if (type !== TOPIC) return answer(ErrorCode.INVALID_REQUEST, `resource type ${type} cannot be altered on this broker`);
      const topic = broker.topics.get(name);
      if (!topic) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`);
      const next = applyIncremental(topic.configs, configs);
      if (typeof next === 'string') return answer(ErrorCode.INVALID_CONFIG, next);
      const problem = topicConfigProblem(next);
      if (problem) return answer(ErrorCode.INVALID_CONFIG, problem);
      if (!req.validateOnly) broker.topics.setConfigs(topic, next);
      return answer(ErrorCode.NONE, null);
    });
    return { throttleTimeMs: 0, responses };
  },
});
