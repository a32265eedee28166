// The command line of every bench script: node:util parseArgs plus --help, with the flag list
// generated from the same option table the parser reads, so the usage text cannot drift from it.
// A mistake (unknown flag, missing or bad value) is one line on stderr and exit code 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a string flag's value must look like; values are still returned as the strings given. */
export type ValueKind =
  | 'count' // a whole number ≥ 0
  | 'counts' // comma-separated whole numbers, may be empty
  | 'brokers' // host:port[,host:port...]
  | 'text'
  | readonly string[]; // one of these

interface FlagBase {
  /** One line: what the flag does. */
  readonly description: string;
  readonly short?: string;
  /** Shown as the default when the script computes it (e.g. smaller with --quick). */
  readonly defaultText?: string;
}
export interface StringFlag extends FlagBase {
  readonly type: 'string';
  /** Passed to parseArgs, and shown. */
  readonly default?: string;
  /** The value's placeholder in the usage, e.g. N or DIR. */
  readonly arg?: string;
  readonly value?: ValueKind;
}
export interface BooleanFlag extends FlagBase {
  readonly type: 'boolean';
  readonly default?: boolean;
}
export type Flag = StringFlag | BooleanFlag;

export interface Positional {
  readonly name: string;
  readonly description: string;
  readonly defaultText?: string;
  readonly value?: ValueKind;
  /** The last one only: any number of them. */
  readonly rest?: boolean;
}

export interface EnvVar {
  readonly name: string;
  readonly description: string;
  readonly defaultText?: string;
  /** Checked when the variable is set. */
  readonly value?: ValueKind;
}

export interface CliSpec<O extends { readonly [name: string]: Flag }> {
  /** The script, as run from the repository root: bench/x.ts. */
  readonly script: string;
  /** What it measures: one or a few lines. */
  readonly summary: string;
  readonly options: O;
  readonly positionals?: readonly Positional[];
  readonly env?: readonly EnvVar[];
  /** Example command lines. */
  readonly examples: readonly string[];
  /** Arguments to parse; default process.argv.slice(2). */
  readonly args?: readonly string[];
}

/** A command line that cannot be run; the message names the flag. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

type Values<O extends { readonly [name: string]: Flag }> = {
  -readonly [K in keyof O]: O[K] extends { type: 'boolean' }
    ? (O[K] extends { default: boolean } ? boolean : boolean | undefined)
    : (O[K] extends { default: string } ? string : string | undefined);
};

export interface ParsedCli<O extends { readonly [name: string]: Flag }> {
  readonly values: Values<O>;
  readonly positionals: readonly string[];
}

const placeholder = (f: StringFlag) => f.arg ?? (f.value === 'count' ? 'N' : f.value === 'counts' ? 'N,N' : f.value === 'brokers' ? 'HOST:PORT' : Array.isArray(f.value) ? (f.value as readonly string[]).join('|') : 'VALUE');

function defaultOf(f: { readonly defaultText?: string; readonly default?: string | boolean }): string {
  if (f.defaultText !== undefined) return ` (default: ${f.defaultText})`;
  if (typeof f.default === 'string') return ` (default: ${f.default})`;
  return '';
}

/** The --help text: what the script measures, usage, every flag with its default, env vars, examples. */
export function usageText<O extends { readonly [name: string]: Flag }>(spec: CliSpec<O>): string {
  const positionals = spec.positionals ?? [];
  const flagRows: [string, string][] = Object.entries(spec.options).map(([name, f]) => [
    `${f.short ? `-${f.short}, ` : ''}--${name}${f.type === 'string' ? ` ${placeholder(f)}` : ''}`,
    f.description + defaultOf(f),
  ]);
  flagRows.push(['-h, --help', 'print this help and exit']);
  const width = Math.max(...flagRows.map(([l]) => l.length), ...positionals.map((p) => p.name.length), ...(spec.env ?? []).map((e) => e.name.length)) + 2;
  const row = (left: string, right: string) => `  ${left.padEnd(width)}${right}`;
  const lines = [
    `Usage: node --import tsx ${spec.script} [flags]${positionals.map((p) => ` [${p.name}${p.rest ? ' ...' : ''}]`).join('')}`,
    '',
    ...spec.summary.split('\n'),
    '',
  ];
  if (positionals.length) {
    lines.push('Arguments (in this order):', ...positionals.map((p) => row(p.name, p.description + defaultOf(p))), '');
  }
  lines.push('Flags:', ...flagRows.map(([l, r]) => row(l, r)), '');
  if (spec.env?.length) lines.push('Environment:', ...spec.env.map((e) => row(e.name, e.description + defaultOf(e))), '');
  lines.push(spec.examples.length > 1 ? 'Examples:' : 'Example:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

function checkValue(what: string, kind: ValueKind | undefined, value: string): void {
  const bad = (expected: string) => new UsageError(`${what} must be ${expected}, got ${JSON.stringify(value)}`);
  if (kind === undefined || kind === 'text') return;
  if (kind === 'count') {
    if (!/^\d+$/.test(value)) throw bad('a whole number');
  } else if (kind === 'counts') {
    if (value !== '' && !/^\d+(,\d+)*$/.test(value)) throw bad('comma-separated whole numbers');
  } else if (kind === 'brokers') {
    if (!/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/.test(value)) throw bad('host:port[,host:port...]');
  } else if (!kind.includes(value)) {
    throw bad(`one of ${kind.join(', ')}`);
  }
}

/** Parses without exiting: --help is reported as { help: true }; a mistake throws UsageError. */
export function parseCliArgs<O extends { readonly [name: string]: Flag }>(spec: CliSpec<O>): { help: true } | ({ help: false } & ParsedCli<O>) {
  const args = [...(spec.args ?? process.argv.slice(2))];
  const options = { ...spec.options, help: { type: 'boolean', short: 'h', description: '' } } as { [name: string]: Flag };
  const config = Object.fromEntries(Object.entries(options).map(([name, f]) => [name, {
    type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.default !== undefined ? { default: f.default } : {}),
  }])) as NonNullable<ParseArgsConfig['options']>;
  // Non-strict first, to name the offending flag ourselves; then strict for the values.
  const { tokens } = parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'option') {
      const f = options[t.name];
      const flag = t.rawName;
      if (f === undefined) throw new UsageError(`unknown flag ${flag}`);
      if (t.name === 'help') return { help: true };
      if (f.type === 'boolean' && t.value !== undefined) throw new UsageError(`${flag} takes no value, got ${JSON.stringify(t.value)}`);
      if (f.type === 'string') {
        if (t.value === undefined) throw new UsageError(`${flag} needs a value (${placeholder(f)})`);
        checkValue(flag, f.value, t.value);
      }
    } else if (t.kind === 'positional') {
      positionals.push(t.value);
    }
  }
  const allowed = spec.positionals ?? [];
  const rest = allowed.at(-1)?.rest === true;
  if (positionals.length > allowed.length && !rest) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[allowed.length])}`);
  positionals.forEach((v, i) => {
    const p = allowed[Math.min(i, allowed.length - 1)]!;
    checkValue(p.name, p.value, v);
  });
  for (const e of spec.env ?? []) {
    const v = process.env[e.name];
    if (v !== undefined) checkValue(e.name, e.value, v);
  }
  const { values } = parseArgs({ args, options: config, strict: false, allowPositionals: true });
  return { help: false, values: values as Values<O>, positionals };
}

/** parseCliArgs for a script's main: --help prints the usage and exits 0; a mistake prints one line and exits 2. */
export function parseCli<O extends { readonly [name: string]: Flag }>(spec: CliSpec<O>): ParsedCli<O> {
  try {
    const r = parseCliArgs(spec);
    if (!r.help) return r;
    process.stdout.write(usageText(spec));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${spec.script}: ${e.message}; see --help\n`);
    process.exit(2);
  }
  process.exit(0);
}
