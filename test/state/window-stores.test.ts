// Window and session stores: the same contract for the in-memory and the LevelDB byte stores.
import { windowStoreContract } from './window-store.contract.ts';

windowStoreContract({ name: 'in memory', persistent: false, storeType: 'in-memory' });
windowStoreContract({ name: 'LevelDB', persistent: true, storeType: 'persistent' });
