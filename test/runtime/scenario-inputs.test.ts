// The crash and exactly-once scenarios count outputs against the inputs they wrote, so each input
// must be written exactly once whatever the network does. A Produce response lost with its
// connection makes kafkajs send the request again; without idempotence that appends the records
// a second time (the EOS crash matrix once read 480 records from an input partition sent 240).
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopicsSafely } from './crash-scenario.ts';
import { loseFirstResponse } from './lost-response.ts';
import { countingInputs, InputCountError, recordsIn, writeInputs } from './scenario-inputs.ts';

const PRODUCE = 0;

forEachBroker('test/runtime/scenario-inputs.test.ts', (test, brokers) => {
  test('a lost Produce response makes a plain kafkajs producer append its records twice (the fault is real)', async () => {
    const topic = uniqueName('inputs-plain');
    await createTopicsSafely(brokers(), [{ topic, numPartitions: 2 }]);
    const fault = loseFirstResponse(PRODUCE);
    const producer = new kafkajs.Kafka({ brokers: brokers(), logLevel: kafkajs.logLevel.NOTHING, socketFactory: fault.socketFactory }).producer();
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: countingInputs(10, 4) });
    } finally {
      await producer.disconnect();
    }
    assert.is(fault.lost(), 1);
    assert.is(await recordsIn(brokers(), topic), 80);
  });

  test('a lost Produce response: writeInputs still writes every input once', async () => {
    const topic = uniqueName('inputs-once');
    await createTopicsSafely(brokers(), [{ topic, numPartitions: 2 }]);
    const fault = loseFirstResponse(PRODUCE);
    await writeInputs(brokers(), topic, countingInputs(10, 4), { chunk: 15, socketFactory: fault.socketFactory });
    assert.is(fault.lost(), 1);
    assert.is(await recordsIn(brokers(), topic), 40);
  });

  test('writeInputs refuses a topic that held records before: the scenario could not count its inputs', async () => {
    const topic = uniqueName('inputs-held');
    await createTopicsSafely(brokers(), [{ topic, numPartitions: 2 }]);
    await writeInputs(brokers(), topic, countingInputs(2, 1));
    try {
      await writeInputs(brokers(), topic, countingInputs(2, 1));
      assert.unreachable('a topic holding 4 records after 2 were written was accepted');
    } catch (err) {
      assert.instance(err, InputCountError);
    }
  });
});
