import { test } from 'uvu';
import { buildServingTopology } from '../../topologies/index.ts';
import { servingContract } from './serving.contract.ts';
import { rolesContract } from './roles.contract.ts';

servingContract('custom', { build: (options) => buildServingTopology('custom', options), persistent: true });

rolesContract('custom', (options) => buildServingTopology('custom', options));

test.run();
