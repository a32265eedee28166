// `modelstream broker`: runs the embedded Kafka broker in the foreground until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startBroker } from '../../lib/broker/index.ts';
import type { BrokerLog } from '../../lib/broker/index.ts';
import { UsageError } from './options.ts';

export const BROKER_USAGE = `Usage: modelstream broker [--port 9092] [--host 127.0.0.1] [--data-dir DIR]

Runs a single-node Kafka-compatible broker (kafkajs and other clients connect unchanged).
  --port N         TCP port, 0 picks a free one (default 9092)
  --host H         address to listen on and to advertise (default 127.0.0.1)
  --data-dir DIR   keep topic logs in DIR and reload them on restart (default: memory only)
  --help           show this text`;

/** Starts the broker, prints its address, and resolves once a signal has stopped it. */
export async function runBrokerCommand(argv: readonly string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: '9092' },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${BROKER_USAGE}`, { cause: err });
  }
  if (values.help) {
    console.log(BROKER_USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be an integer 0–65535, got '${values.port}'\n\n${BROKER_USAGE}`);
  }
  const log: BrokerLog = (level, message) => {
    if (level !== 'debug') console.error(`[broker] ${level}: ${message}`);
  };
  const broker = await startBroker({ port, host: values.host, dataDir: values['data-dir'], log });
  console.log(`broker listening on ${broker.brokers.join(',')}${values['data-dir'] ? ` (data in ${values['data-dir']})` : ' (in memory)'}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void broker.stop().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
