// Sends commands (rollback, retire) to the models topic, where every instance's models processor
// applies them: so a rollback asked of one instance's HTTP server happens on all of them.
import kafkajs from 'kafkajs';
import { encodeModelCommand, type ModelCommand } from '../codecs/messages.ts';

export interface CommandSender {
  send(command: ModelCommand): Promise<void>;
  close(): Promise<void>;
}

export async function modelCommandSender(options: { readonly brokers: readonly string[]; readonly topic: string }): Promise<CommandSender> {
  const producer = new kafkajs.Kafka({ clientId: 'modelstream-commands', brokers: [...options.brokers], logLevel: kafkajs.logLevel.NOTHING })
    .producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return {
    // Keyed by dataType like the models themselves: one partition keeps models and commands in order.
    async send(command) {
      await producer.send({ topic: options.topic, acks: -1, messages: [{ key: command.dataType, value: Buffer.from(encodeModelCommand(command)) }] });
    },
    close: () => producer.disconnect(),
  };
}
