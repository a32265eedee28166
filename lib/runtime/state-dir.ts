// Start-up checks of the state directory, before anything connects: a directory that cannot
// hold the stores must fail at once with a message saying what to change, not hang or fail
// later in a task. A recursive mkdir under /proc never ends in Node 20 (libuv sees ENOENT and
// tries the parent again), so the nearest existing ancestor is checked first and each missing
// level is created by a plain mkdir.
import { mkdirSync, rmSync, statSync, statfsSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The state directory cannot be used; the message names the path, the fault and the fix. */
export class StateDirError extends Error {
  override readonly name = 'StateDirError';
  constructor(readonly path: string, problem: string, options?: { cause?: unknown }) {
    super(`state directory '${path}' cannot be used: ${problem}`, options);
  }
}

// statfs(2) magic numbers of kernel file systems that expose kernel objects, not files.
const PSEUDO_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'], [0x62656572, 'sysfs'], [0x1cd1, 'devpts'], [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'], [0x73636673, 'securityfs'], [0x27e0eb, 'cgroup'], [0x63677270, 'cgroup2'],
  [0xcafe4a11, 'bpf'], [0x6165676c, 'pstore'], [0x62656570, 'configfs'], [0x65735543, 'fusectl'],
  [0x42494e4d, 'binfmt_misc'], [0x19800202, 'mqueue'], [0xde5e81e4, 'efivarfs'], [0xf97cff8c, 'selinuxfs'],
  [0x6e736673, 'nsfs'], [0x67596969, 'rpc_pipefs'], [0x50495045, 'pipefs'], [0x534f434b, 'sockfs'],
]);

const FIX = 'set stateDir (serve: --state-dir) to a writable directory on a disk-backed file system';

/** Creates `dir` if missing and proves it is a writable directory on a real file system. */
export function checkStateDir(dir: string): void {
  const path = resolve(dir);
  const { ancestor, stats } = nearestExisting(path);
  if (!stats.isDirectory()) {
    const what = ancestor === path ? 'it is a file, not a directory' : `'${ancestor}' is a file, not a directory`;
    throw new StateDirError(path, `${what}; ${FIX}`);
  }
  refusePseudo(path, ancestor);
  if (ancestor !== path) {
    createBelow(path, ancestor);
    refusePseudo(path, path);
  }
  const probe = join(path, `.modelstream-probe-${process.pid}-${Date.now()}`);
  try {
    writeFileSync(probe, 'probe');
  } catch (err) {
    throw new StateDirError(path, `it is not writable (${codeOf(err)}); ${FIX}`, { cause: err });
  } finally {
    try { rmSync(probe, { force: true }); } catch { /* the write already failed or the probe is gone */ }
  }
}

/** One mkdir per missing level: Node's recursive mkdir reports EROFS as ENOENT, and loops on some file systems. */
function createBelow(path: string, ancestor: string): void {
  const missing: string[] = [];
  for (let p = path; p !== ancestor; p = dirname(p)) missing.unshift(p);
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && statSync(level).isDirectory()) continue; // created meanwhile
      throw new StateDirError(path, `it cannot be created (${codeOf(err)}); ${FIX}`, { cause: err });
    }
  }
}

function nearestExisting(path: string): { ancestor: string; stats: Stats } {
  for (let p = path; ; p = dirname(p)) {
    try {
      return { ancestor: p, stats: statSync(p) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') continue; // a file on the way: found when its own stat succeeds
      if (code !== 'ENOENT' || dirname(p) === p) throw new StateDirError(path, `'${p}' cannot be read (${codeOf(err)}); ${FIX}`, { cause: err });
    }
  }
}

function refusePseudo(path: string, existing: string): void {
  let type: number;
  try {
    type = statfsSync(existing).type;
  } catch (err) {
    throw new StateDirError(path, `its file system cannot be examined (${codeOf(err)}); ${FIX}`, { cause: err });
  }
  const name = PSEUDO_FILE_SYSTEMS.get(type);
  if (name) {
    const where = existing === path ? 'it is' : `'${existing}' is`;
    throw new StateDirError(path, `${where} on a ${name} file system (kernel objects, not files); ${FIX}`);
  }
}

function codeOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message.replace(/^\w+: /, '')}` : String(e.message ?? err);
}
