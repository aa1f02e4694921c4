/** Persistence: the SQLite store and the URL-based opener the composition root uses. */
export { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.ts';
export { openStore } from './open-store.ts';
