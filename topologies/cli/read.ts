// `modelstream read`: prints scoring results from models_results as they arrive.
import { DEFAULT_TOPICS } from '../api.ts';
import { formatResult, startReader } from '../client/reader.ts';
import { BROKERS_HELP, brokersFrom, brokersOption, intOption, parseCommand } from './options.ts';
import { stopOnSignals } from './lifecycle.ts';
import { waitForTopic } from './topics.ts';

export const READ_USAGE = `Usage: modelstream read [options]

Prints each scoring result of models_results as it arrives: dataType, partition@offset, model,
what it said, and the scoring time.

${BROKERS_HELP}
  --topic NAME         the results topic (default ${DEFAULT_TOPICS.results})
  --from-beginning     also print the results already in the topic
  --max N              stop after N results
  --json               one JSON object per line instead of text
  --summary            a count every 5 s instead of every result
  -h, --help           show this text`;

export const readOptions = {
  ...brokersOption,
  topic: { type: 'string' },
  'from-beginning': { type: 'boolean' },
  max: { type: 'string' },
  json: { type: 'boolean' },
  summary: { type: 'boolean' },
} as const;

export async function runReadCommand(argv: readonly string[]): Promise<number> {
  const values = parseCommand(argv, readOptions, READ_USAGE);
  if (values.help) {
    console.log(READ_USAGE);
    return 0;
  }
  const brokers = brokersFrom(values.brokers);
  const max = values.max === undefined ? Infinity : intOption('max', values.max, 0, 1);
  const topic = values.topic ?? DEFAULT_TOPICS.results;
  const log = (line: string) => console.error(`[reader] ${line}`);
  const stop = stopOnSignals(log);
  let seen = 0;
  let failed = 0;
  let stopping = false;
  void stop.stopped.then(() => { stopping = true; });
  const exists = await waitForTopic(brokers, topic, () => log(`waiting for ${topic} to be created (by serve, provide or demo)`), () => !stopping).catch((err) => {
    stop.dispose();
    throw err;
  });
  if (!exists) {
    stop.dispose();
    return 0;
  }
  const reader = await startReader({
    brokers, topic, fromBeginning: values['from-beginning'] ?? false,
    onResult(result) {
      if (seen >= max) return;
      seen += 1;
      if (result.outcome.kind === 'failed') failed += 1;
      if (values.json) console.log(JSON.stringify(result));
      else if (!values.summary) console.log(formatResult(result));
      if (seen >= max) stop.stop({ kind: 'done' });
    },
    onBadMessage: (err) => log(`skipped a message that is not a ServingResult: ${err.message}`),
  }).catch((err) => {
    stop.dispose();
    throw err;
  });
  log(`reading ${topic} on ${brokers.join(',')}${values['from-beginning'] ? ' from the beginning' : ' (new results only)'}`);
  const summary = values.summary ? setInterval(() => log(`${seen} results (${failed} failed)`), 5000) : undefined;
  await stop.stopped;
  clearInterval(summary);
  await reader.stop();
  stop.dispose();
  log(`read ${seen} results (${failed} failed to score)`);
  return 0;
}
