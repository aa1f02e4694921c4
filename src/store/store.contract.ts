/**
 * The one test suite every Store adapter must pass (SQLite today, PostgreSQL next). Call it from
 * the adapter's test file with a function that opens a fresh, empty store.
 */
import { describe } from 'vitest';
import type { Store } from '../core/store.ts';
import { documentsContract } from './contract/documents.contract.ts';
import { evalsContract } from './contract/evals.contract.ts';
import { keywordSearchContract } from './contract/keyword-search.contract.ts';
import { ledgerContract } from './contract/ledger.contract.ts';
import { recordsContract } from './contract/records.contract.ts';
import { tenantIsolationContract } from './contract/tenant-isolation.contract.ts';
import { vectorsContract } from './contract/vectors.contract.ts';

/** Registers the Store contract tests for the adapter `name`; `open` must return a fresh empty store. */
export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    documentsContract(open);
    keywordSearchContract(open);
    vectorsContract(open);
    recordsContract(open);
    evalsContract(open);
    tenantIsolationContract(open);
    ledgerContract(open);
  });
}
