import { test } from 'uvu';
import { buildServingTopology } from '../../topologies/index.ts';
import { servingContract } from './serving.contract.ts';
import { rolesContract } from './roles.contract.ts';

servingContract('kv', { build: (options) => buildServingTopology('kv', options), persistent: true });

rolesContract('kv', (options) => buildServingTopology('kv', options));

test.run();
