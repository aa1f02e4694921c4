import { runCounterStoreContract } from './counter-store.contract.ts';
import { MemoryCounterStore } from './memory-counter-store.ts';

runCounterStoreContract('memory', async () => new MemoryCounterStore());
