import { InMemoryStore } from './in-memory-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('InMemoryStore', async () => new InMemoryStore());
