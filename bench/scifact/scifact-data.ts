/** Reads the SciFact BEIR files from the shared datasets folder (read-only; never copied). */
import fs from 'node:fs';
import path from 'node:path';
import { readBeirQrels, readBeirQueries, type BeirQuery, type Qrels } from '../../src/evals/retrieval-metrics.ts';

export const SCIFACT_DIR = process.env['PLUMB_SCIFACT_DIR'] ?? '/work/shared/datasets/scifact';

export interface CorpusDoc {
  id: string;
  title: string;
  text: string;
}

/** The 5,183 abstracts of corpus.jsonl. */
export function readScifactCorpus(dir = SCIFACT_DIR): CorpusDoc[] {
  const docs: CorpusDoc[] = [];
  for (const line of fs.readFileSync(path.join(dir, 'corpus.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { _id?: string; id?: string; title?: string; text?: string };
    docs.push({ id: String(row._id ?? row.id), title: row.title ?? '', text: row.text ?? '' });
  }
  return docs;
}

/** Train queries and their qrels. */
export function readScifactTrain(dir = SCIFACT_DIR): { queries: BeirQuery[]; qrels: Qrels } {
  return {
    queries: readBeirQueries(path.join(dir, 'queries.train.jsonl')),
    qrels: readBeirQrels(path.join(dir, 'qrels.train.tsv')),
  };
}
