// Entry point of bin/modelstream.mjs: runs the command line and exits with its code.
import { runCli } from './cli.ts';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// A client that still holds a socket or timer must not keep a finished command alive.
setTimeout(() => process.exit(code), 3000).unref();
