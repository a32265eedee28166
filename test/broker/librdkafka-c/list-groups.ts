// list-groups.c (librdkafka's C admin API, Debian's librdkafka-dev 2.0.2) built with gcc into
// target/ when the binary is older than its source, and run as a child process: asynchronous,
// since the embedded broker under test answers from this process's event loop.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dependency } from '../../requirements.ts';
import { run } from '../groups/external-client.ts';

const HERE = new URL('.', import.meta.url).pathname;
const SOURCE = join(HERE, 'list-groups.c');
const BINARY = join(HERE, 'target', 'list-groups');

export class ListGroupsBuildError extends Error {
  override readonly name = 'ListGroupsBuildError';
}
export class ListGroupsError extends Error {
  override readonly name = 'ListGroupsError';
}

function whyMissing(): string | undefined {
  if (spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status !== 0) return 'no gcc on PATH (apt-get install -y gcc)';
  // The preprocessor finds the header wherever the compiler looks, not only under /usr/include.
  const header = spawnSync('gcc', ['-E', '-x', 'c', '-'], { input: '#include <librdkafka/rdkafka.h>\n', stdio: ['pipe', 'ignore', 'ignore'] });
  return header.status === 0 ? undefined : 'no librdkafka/rdkafka.h for gcc (apt-get install -y librdkafka-dev)';
}

let probed: { why: string | undefined } | undefined;
/** gcc and librdkafka's headers; required wherever real Kafka is (MODELSTREAM_REQUIRE_KAFKA=1, as .ci/run sets). */
export const librdkafkaDev: Dependency = {
  name: 'gcc and librdkafka-dev',
  requiredBy: ['MODELSTREAM_REQUIRE_KAFKA'],
  missing: () => (probed ??= { why: whyMissing() }).why,
};

/** Compiles list-groups.c unless target/list-groups is at least as new; returns the binary's path. */
export function buildListGroups(): string {
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs) return BINARY;
  mkdirSync(join(HERE, 'target'), { recursive: true });
  const gcc = spawnSync('gcc', ['-Wall', '-Wextra', '-Werror', '-O1', '-o', BINARY, SOURCE, '-lrdkafka'], { encoding: 'utf8' });
  if (gcc.status !== 0) throw new ListGroupsBuildError(`gcc failed to build ${SOURCE}: ${gcc.stderr || gcc.error?.message}`);
  return BINARY;
}

/** The sorted "group_id state is_simple" lines librdkafka lists, filtered by `states` when given. */
export async function listGroups(bootstrap: string, states?: readonly string[]): Promise<string[]> {
  const args = states === undefined ? [bootstrap] : [bootstrap, states.join(',')];
  const res = await run(buildListGroups(), args, { timeoutMs: 30_000 });
  if (res.code !== 0) throw new ListGroupsError(`list-groups ${args.join(' ')} exited ${res.code}: ${res.stderr.trim()}`);
  return res.stdout.split('\n').filter((l) => l.length > 0);
}
