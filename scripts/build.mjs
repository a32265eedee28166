// `npm run build` (and `prepare`, so a checkout's `npm install` or `npm ci` builds too): the
// library and the application to dist/ with tsc (tsconfig.build.json), then the .proto files the
// code parses at run time to dist/proto, where the built modules look for them (same depth).
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
cpSync(new URL('../proto', import.meta.url), new URL('../dist/proto', import.meta.url), { recursive: true });
