// `modelstream <command>`: finds the command, runs it, and turns errors into exit codes
// (2: the arguments are wrong, with the usage; 1: the command failed).
import { BROKER_USAGE, runBrokerCommand } from './broker.ts';
import { UsageError } from './options.ts';
import { SERVE_USAGE, runServeCommand } from './serve.ts';
import { PROVIDE_USAGE, runProvideCommand } from './provide.ts';
import { READ_USAGE, runReadCommand } from './read.ts';
import { DEMO_USAGE, runDemoCommand } from './demo.ts';

export const USAGE = `Usage: modelstream <command> [options]

Commands:
  serve     run one instance of the model-serving application and its query server
  provide   publish wine records and models to Kafka (the tutorial's data provider)
  read      print scoring results from models_results as they arrive
  broker    run the embedded Kafka broker
  demo      all of it in one process: embedded broker, topics, provider, server (npm start)

Run 'modelstream <command> --help' for the options of a command.
Environment: KAFKA_BROKERS is the default of --brokers (otherwise 127.0.0.1:9092).`;

interface Command {
  run(argv: readonly string[]): Promise<number>;
  readonly usage: string;
}

const COMMANDS: { readonly [name: string]: Command } = {
  serve: { run: runServeCommand, usage: SERVE_USAGE },
  provide: { run: runProvideCommand, usage: PROVIDE_USAGE },
  read: { run: runReadCommand, usage: READ_USAGE },
  demo: { run: runDemoCommand, usage: DEMO_USAGE },
  broker: {
    async run(argv) {
      await runBrokerCommand(argv);
      return 0;
    },
    usage: BROKER_USAGE,
  },
};

export async function runCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[command];
  if (!cmd) {
    console.error(`modelstream: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      const message = err.message.includes('Usage:') ? err.message : `${err.message}\n\n${cmd.usage}`;
      console.error(`modelstream ${command}: ${message}`);
      return 2;
    }
    const e = err as Error;
    console.error(`modelstream ${command}: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`);
    if (/ECONNREFUSED|ENOTFOUND|Connection (error|timeout)/.test(e.message)) {
      console.error(`Is Kafka running there? Start one with 'modelstream broker', or pass --brokers (or set KAFKA_BROKERS).`);
    }
    if (process.env.MODELSTREAM_DEBUG) console.error(e.stack);
    return 1;
  }
}

