/** Gives each contract test a freshly opened store and closes it afterwards. */
import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../../core/store.ts';

export type OpenStore = () => Promise<Store>;

/** Registers open/close hooks in the current describe block; call the result inside a test. */
export function useStore(open: OpenStore): () => Store {
  let store: Store | undefined;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return () => {
    if (!store) throw new Error('useStore: the store is only available inside a test');
    return store;
  };
}
