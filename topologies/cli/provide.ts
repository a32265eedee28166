// `modelstream provide`: the data provider of the tutorial's client.
import { DEFAULT_TOPICS } from '../api.ts';
import { startProvider, type ModelsPlan, type RecordsPlan, type RunningProvider } from '../client/provider.ts';
import { findDataFiles, modelFilesIn, readWineCsv, descriptorForFile } from '../client/sources.ts';
import { BROKERS_HELP, DATA_HELP, UsageError, brokersFrom, brokersOption, dataDirFrom, intOption, parseCommand, positiveOption } from './options.ts';
import { ensureServingTopics } from './topics.ts';
import { stopOnSignals } from './lifecycle.ts';

export const PROVIDE_USAGE = `Usage: modelstream provide [options]

Publishes wine records (WineRecord protobuf) to models_data at a steady rate, looping over the
CSV, and models (ModelDescriptor protobuf, keyed by dataType) to models_models, one every
--model-interval seconds, cycling over every .pmml, .pb and .onnx file of the models directory.

${BROKERS_HELP}
${DATA_HELP}
  --records FILE       the CSV to send (default: from --data)
  --models DIR         the models to cycle over (default: <data>/models, else <data>)
  --model FILE         send this one model once instead of cycling
  --rate N             records per second (default 10)
  --count N            stop after N records, sending each model once (default: loop forever)
  --model-interval S   seconds between two models (default 60)
  --by-reference       send each model's absolute path (location) instead of its bytes
  --data-type T        dataType of records and models (default wine)
  --role R             champion (default: replaces the current model), shadow (scored beside it,
                       results to models_shadow) or split (answers a weighted share of the keys)
  --weight W           relative share of the records for a split or champion model (default 1;
                       a split model sent with a negative weight leaves the split)
  --only WHAT          records or models: send only those
  --partitions N       partitions of models_data and models_results if they must be created (default 2)
  -h, --help           show this text`;

export const provideOptions = {
  ...brokersOption,
  data: { type: 'string' },
  records: { type: 'string' },
  models: { type: 'string' },
  model: { type: 'string' },
  rate: { type: 'string' },
  count: { type: 'string' },
  'model-interval': { type: 'string' },
  'by-reference': { type: 'boolean' },
  'data-type': { type: 'string' },
  role: { type: 'string' },
  weight: { type: 'string' },
  only: { type: 'string' },
  partitions: { type: 'string' },
} as const;

export interface ProvidePlans {
  readonly records?: RecordsPlan;
  readonly models?: ModelsPlan;
}

/** What to send, from the provide/demo flags; file problems surface here, before connecting. */
export function providePlans(values: {
  data?: string; records?: string; models?: string; model?: string; rate?: string; count?: string;
  'model-interval'?: string; 'by-reference'?: boolean; 'data-type'?: string; only?: string; role?: string; weight?: string;
}, defaults: { rate: number; modelIntervalS: number }): ProvidePlans {
  const only = values.only;
  if (only !== undefined && only !== 'records' && only !== 'models') throw new UsageError(`--only must be records or models, got '${only}'`);
  const dataType = values['data-type'] ?? 'wine';
  const needFiles = values.records === undefined || (values.models === undefined && values.model === undefined);
  const found = needFiles ? findDataFiles(dataDirFrom(values.data)) : undefined;
  const rate = positiveOption('rate', values.rate, defaults.rate);
  const count = values.count === undefined ? undefined : intOption('count', values.count, 0, 1);
  const records: RecordsPlan | undefined = only === 'models' ? undefined : {
    topic: DEFAULT_TOPICS.data,
    records: readWineCsv(values.records ?? found!.csv, dataType),
    ratePerSecond: rate,
    limit: count,
  };
  let models: ModelsPlan | undefined;
  if (only !== 'records') {
    const byReference = values['by-reference'] ?? false;
    const files = values.model !== undefined ? [values.model] : modelFilesIn(values.models ?? found!.modelsDir);
    for (const f of files) descriptorForFile(f, { byReference, dataType }); // fail now on an unreadable file
    const role = values.role;
    if (role !== undefined && role !== 'champion' && role !== 'shadow' && role !== 'split') throw new UsageError(`--role must be champion, shadow or split, got '${role}'`);
    const weight = values.weight === undefined ? undefined : Number(values.weight);
    if (weight !== undefined && !Number.isFinite(weight)) throw new UsageError(`--weight must be a number, got '${values.weight}'`);
    models = {
      topic: DEFAULT_TOPICS.models, files, dataType, byReference,
      ...(role !== undefined && { role }), ...(weight !== undefined && { weight }),
      intervalMs: positiveOption('model-interval', values['model-interval'], defaults.modelIntervalS) * 1000,
      // A bounded run (--count) sends each model once; otherwise a directory cycles forever.
      loop: values.model === undefined && count === undefined,
    };
  }
  return { records, models };
}

export function describePlans(plans: ProvidePlans): string[] {
  const lines: string[] = [];
  if (plans.models) {
    const every = plans.models.loop ? `, one every ${(plans.models.intervalMs ?? 0) / 1000} s, cycling` : ', once';
    lines.push(`models: ${plans.models.files.length} file(s)${every}${plans.models.byReference ? ', by reference' : ''}: ${plans.models.files.map((f) => f.split('/').at(-1)).join(', ')}`);
  }
  return lines;
}

export async function runProvideCommand(argv: readonly string[]): Promise<number> {
  const values = parseCommand(argv, provideOptions, PROVIDE_USAGE);
  if (values.help) {
    console.log(PROVIDE_USAGE);
    return 0;
  }
  const brokers = brokersFrom(values.brokers);
  const plans = providePlans(values, { rate: 10, modelIntervalS: 60 });
  const partitions = intOption('partitions', values.partitions, 2, 1, 10_000);
  const log = (line: string) => console.log(line.startsWith('[') ? line : `[provider] ${line}`);
  for (const line of describePlans(plans)) log(line);
  await ensureServingTopics({ brokers, topics: DEFAULT_TOPICS, partitions, log });
  const stop = stopOnSignals(log);
  let provider: RunningProvider;
  try {
    provider = await startProvider({ brokers, ...plans, log });
  } catch (err) {
    stop.dispose();
    throw err;
  }
  provider.done.then(() => stop.stop({ kind: 'done' }), (error: Error) => stop.stop({ kind: 'failed', error }));
  const reason = await stop.stopped;
  await provider.stop();
  stop.dispose();
  const { records, models } = provider.counts();
  log(`sent ${records} records and ${models} models`);
  if (reason.kind === 'failed') {
    console.error(`[provider] failed: ${reason.error.message}`);
    return 1;
  }
  return 0;
}
