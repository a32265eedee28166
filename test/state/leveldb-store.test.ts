import { Stores } from '../../lib/index.ts';
import { keyValueStoreContract } from './key-value-store.contract.ts';

keyValueStoreContract({ name: 'LevelDB', persistent: true, create: (name) => Stores.persistentKeyValueStore(name).get() });
