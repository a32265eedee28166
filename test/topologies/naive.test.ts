import { test } from 'uvu';
import { buildServingTopology } from '../../topologies/index.ts';
import { servingContract } from './serving.contract.ts';

servingContract('naive', { build: (options) => buildServingTopology('naive', options), persistent: false });

test.run();
