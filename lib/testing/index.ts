// `modelstream/testing`: the in-process driver and a context for unit-testing one processor.
export { TopologyTestDriver } from './topology-test-driver.ts';
export type { TestDriverOptions } from './topology-test-driver.ts';
export { TestInputTopic, TestOutputTopic } from './test-topics.ts';
export type { TestRecord } from './test-topics.ts';
export { MockProcessorContext } from './mock-processor-context.ts';
export type { CapturedForward, CapturedPunctuator, LoggedChange } from './mock-processor-context.ts';
