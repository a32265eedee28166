import { test } from 'uvu';
import { buildServingTopology } from '../../topologies/index.ts';
import { servingContract } from './serving.contract.ts';

servingContract('custom', { build: (options) => buildServingTopology('custom', options), persistent: true });

test.run();
