/** Picks the Store adapter for a store URL from the config. */
import { PlumbError } from '../core/errors.ts';
import type { Store } from '../core/store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

export interface OpenStoreOptions {
  /** How long ledger rows and traces may wait to be committed together (ms); see SqliteStoreOptions. */
  groupCommitMs?: number;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * Opens the store at `url`: a file path, `sqlite:<path>`, `sqlite://<path>` or `sqlite::memory:`.
 * PostgreSQL URLs are recognised but not supported yet.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const trimmed = url.trim();
  if (trimmed === '') {
    throw new PlumbError('invalid_config', 'The store URL is empty.', {
      hint: 'Set it to a SQLite file path such as ./data/plumb.db (or sqlite:./data/plumb.db).',
    });
  }
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    throw new PlumbError('invalid_config', 'PostgreSQL stores are not yet supported; see the "PostgreSQL + pgvector" item in ARCHITECTURE.md.', {
      hint: 'Use a SQLite file for now, e.g. sqlite:./data/plumb.db.',
    });
  }
  if (scheme !== undefined && scheme !== 'sqlite') {
    throw new PlumbError('invalid_config', `Store URL scheme "${scheme}://" is not supported.`, {
      hint: 'Use a SQLite file path or sqlite:<path>.',
    });
  }
  return SqliteStore.open({ path: sqlitePathOf(trimmed), ...(options.groupCommitMs === undefined ? {} : { groupCommitMs: options.groupCommitMs }) });
}

function sqlitePathOf(url: string): string {
  if (url.startsWith('sqlite://')) return url.slice('sqlite://'.length);
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length);
  return url;
}
