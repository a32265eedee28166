// AlterConfigs (33), v0–v2 (v1 = v0; v2 is flexible). Replaces a topic's whole config set, as the real
// (non-incremental) API does; broker configs are static here and answer INVALID_REQUEST.
// Dropping max.message.bytes from the set falls back to the broker's message.max.bytes.
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';
import { topicConfigProblem } from '../storage/topic-config.ts';

const TOPIC = 2;

export interface AlterConfigsRequest {
  resources: { type: number; name: string; configs: { name: string; value: string | null }[] }[];
  validateOnly: boolean;
}
export interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: { errorCode: number; errorMessage: string | null; type: number; name: string }[];
}

export const alterConfigs = defineHandler<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 2,
  decodeRequest(r, v) {
    const flex = v >= 2;
    const tags = () => { if (flex) r.taggedFields(); };
    const resources = r.array((r) => {
      const type = r.int8(), name = r.string(flex);
      const configs = r.array((r) => { const c = { name: r.string(flex), value: r.nullableString(flex) }; tags(); return c; }, flex);
      tags();
      return { type, name, configs };
    }, flex);
    const validateOnly = r.boolean();
    tags();
    return { resources, validateOnly };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 2;
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
      const next = new Map<string, string>();
      for (const c of configs) if (c.value !== null) next.set(c.name, c.value);
      const problem = topicConfigProblem(next);
      if (problem) return answer(ErrorCode.INVALID_CONFIG, problem);
      if (!req.validateOnly) broker.topics.setConfigs(topic, next);
      return answer(ErrorCode.NONE, null);
    });
    return { throttleTimeMs: 0, responses };
  },
});
