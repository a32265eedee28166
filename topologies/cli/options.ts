// Argument handling shared by the commands: node:util parseArgs, a usage error that the entry
// point turns into exit code 2, and the defaults every command shares (brokers, data dir).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Arguments the command cannot use; the message names the problem and ends with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The package root, the nearest directory above this module with a package.json: the checkout
 * when run from the sources, the installed package when run from dist/ (which has none).
 * Defaults are found from there, whatever the working directory.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;
type CommandConfig<O extends Options> = { args: string[]; options: O & typeof HELP; strict: true; allowPositionals: false };

/** parseArgs in strict mode with no positionals; a wrong flag or value becomes a UsageError with the usage. */
export function parseCommand<O extends Options>(argv: readonly string[], options: O, usage: string): ReturnType<typeof parseArgs<CommandConfig<O>>>['values'] {
  try {
    return parseArgs<CommandConfig<O>>({ args: [...argv], options: { ...options, ...HELP }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${usage}`, { cause: err });
  }
}

export const brokersOption = { brokers: { type: 'string' } } as const satisfies Options;

export const BROKERS_HELP = '  --brokers LIST       Kafka bootstrap servers, comma-separated (default: $KAFKA_BROKERS or 127.0.0.1:9092)';

/** --brokers, else KAFKA_BROKERS, else a local broker on the default port. */
export function brokersFrom(value: string | undefined): string[] {
  const list = (value ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
  if (list.length === 0 || list.some((b) => !/^[^:\s]+:\d+$/.test(b))) {
    throw new UsageError(`--brokers must be host:port[,host:port…], got '${value ?? process.env.KAFKA_BROKERS}'`);
  }
  return list;
}

/** --data, else the tutorial's seed data next to the checkout when present, else our own data/. */
export function dataDirFrom(value: string | undefined): string {
  if (value !== undefined) {
    const dir = resolve(value);
    if (!existsSync(dir)) throw new UsageError(`--data: ${dir} does not exist`);
    return dir;
  }
  const seed = resolve(PACKAGE_ROOT, '../shared/seed-data');
  return existsSync(seed) ? seed : resolve(PACKAGE_ROOT, 'data');
}

export const DATA_HELP = '  --data DIR           records (winequality_red.csv or wine.csv) and models (.pmml, .pb, .onnx) (default: ../shared/seed-data if present, else data/)';

/** An integer option within bounds, or a UsageError naming the flag. */
export function intOption(flag: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

/** A positive number option (rates, seconds), or a UsageError naming the flag. */
export function positiveOption(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a number greater than 0, got '${value}'`);
  return n;
}

export const GUARANTEE_HELP = '  --guarantee G        at_least_once or exactly_once_v2 (each commit one Kafka transaction; see the README for its cost) (default at_least_once)';

/** --guarantee: the runtime's processingGuarantee, or a UsageError naming the values. */
export function guaranteeFrom(value: string | undefined): 'at_least_once' | 'exactly_once_v2' {
  if (value === undefined) return 'at_least_once';
  if (value === 'at_least_once' || value === 'exactly_once_v2') return value;
  throw new UsageError(`--guarantee must be at_least_once or exactly_once_v2, got '${value}'`);
}
