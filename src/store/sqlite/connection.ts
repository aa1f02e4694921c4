/** Opens a SQLite database file with the pragmas plumb relies on and an up-to-date schema. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PlumbError } from '../../core/errors.ts';
import { applyMigrations } from './migrations.ts';

/** How long a writer waits for another connection's lock before giving up. */
export const BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating parent folders when needed) and migrates the database at `filePath` or ':memory:'. */
export function openDatabase(filePath: string): Database.Database {
  const inMemory = filePath === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });

  let db: Database.Database;
  try {
    db = new Database(filePath);
  } catch (err) {
    throw new PlumbError('unavailable', `Cannot open the SQLite database at ${filePath}: ${(err as Error).message}`, {
      hint: 'Check that the path is writable and is a SQLite file (or a path where one can be created).',
      cause: err,
      retryable: false,
    });
  }

  try {
    // WAL: readers never block the writer and a killed process leaves only whole transactions.
    // synchronous=NORMAL is safe under WAL (a power cut may lose the last commits, never corrupt).
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('synchronous = NORMAL');
    applyMigrations(db);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof PlumbError) throw err;
    throw new PlumbError('unavailable', `Cannot prepare the SQLite database at ${filePath}: ${(err as Error).message}`, {
      hint: 'If another process holds a long write lock, retry; if the file is damaged, restore it from a backup.',
      cause: err,
    });
  }
}
