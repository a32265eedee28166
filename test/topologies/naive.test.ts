import { test } from 'uvu';
import { buildServingTopology } from '../../topologies/index.ts';
import { servingContract } from './serving.contract.ts';
import { rolesContract } from './roles.contract.ts';

servingContract('naive', { build: (options) => buildServingTopology('naive', options), persistent: false });

rolesContract('naive', (options) => buildServingTopology('naive', options));

test.run();
