import { Stores } from '../../lib/index.ts';
import { keyValueStoreContract } from './key-value-store.contract.ts';

keyValueStoreContract({ name: 'in-memory', persistent: false, create: (name) => Stores.inMemoryKeyValueStore(name).get() });
