import { test } from 'uvu';
import { buildServingTopology } from '../../topologies/index.ts';
import { servingContract } from './serving.contract.ts';

servingContract('kv', { build: (options) => buildServingTopology('kv', options), persistent: true });

test.run();
