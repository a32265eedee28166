// `modelstream broker`: runs the embedded Kafka broker in the foreground until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startBroker } from '../../lib/broker/index.ts';
import type { BrokerLog } from '../../lib/broker/index.ts';
import { UsageError } from './options.ts';

export const BROKER_USAGE = `Usage: modelstream broker [--port 9092] [--host 127.0.0.1] [--data-dir DIR] [--max-message-bytes N]

Runs a single-node Kafka-compatible broker (kafkajs and other clients connect unchanged).
  --port N         TCP port, 0 picks a free one (default 9092)
  --host H         address to listen on and to advertise (default 127.0.0.1)
  --data-dir DIR   keep topic logs in DIR and reload them on restart (default: memory only)
  --max-message-bytes N  message.max.bytes: largest record batch a topic accepts unless it
                   sets max.message.bytes (default 1048588, as Kafka)
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
        'max-message-bytes': { type: 'string' },
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
  const maxMessageBytes = values['max-message-bytes'] === undefined ? undefined : Number(values['max-message-bytes']);
  if (maxMessageBytes !== undefined && !(Number.isInteger(maxMessageBytes) && maxMessageBytes >= 0 && maxMessageBytes < 2 ** 31)) {
    throw new UsageError(`--max-message-bytes must be an integer 0–2147483647, got '${values['max-message-bytes']}'\n\n${BROKER_USAGE}`);
  }
  const log: BrokerLog = (level, message) => {
    if (level !== 'debug') console.error(`[broker] ${level}: ${message}`);
  };
  const broker = await startBroker({ port, host: values.host, dataDir: values['data-dir'], maxMessageBytes, log });
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
