/**
 * Ranked-retrieval metrics as trec_eval / pytrec_eval (and so BEIR) compute them: nDCG@k with
 * linear graded gain and a log2(rank + 1) discount, Recall@k over the judged-relevant documents,
 * MRR@k. Plus readers for BEIR's qrels.tsv and queries.jsonl.
 */
import fs from 'node:fs';
import { PlumbError } from '../core/errors.ts';

/** Relevance judgements: query id → document id → grade (> 0 means relevant). */
export type Qrels = Map<string, Map<string, number>>;

export interface BeirQuery {
  id: string;
  text: string;
}

export interface QueryMetrics {
  ndcg: number;
  recall: number;
  mrr: number;
}

export interface RunMetrics {
  /** Means over the evaluated queries. */
  mean: QueryMetrics;
  perQuery: Map<string, QueryMetrics>;
  /** Queries that have at least one relevant document (the only ones evaluated). */
  evaluatedQueries: number;
  /** Queries in the run with no relevant judgement (skipped, as BEIR does). */
  skippedQueries: number;
}

export interface CutoffOptions {
  ndcgAt?: number;
  recallAt?: number;
  mrrAt?: number;
}

/** nDCG@k of one ranked list of document ids; 0 when the query has no relevant documents. */
export function ndcgAtK(ranked: readonly string[], judgements: ReadonlyMap<string, number>, k: number): number {
  let dcg = 0;
  const seen = new Set<string>();
  const cut = Math.min(k, ranked.length);
  for (let i = 0; i < cut; i++) {
    const id = ranked[i]!;
    // A duplicated id would otherwise earn its gain twice.
    if (seen.has(id)) continue;
    seen.add(id);
    const grade = judgements.get(id) ?? 0;
    if (grade > 0) dcg += grade / Math.log2(i + 2);
  }
  const ideal = [...judgements.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i]! / Math.log2(i + 2);
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Fraction of the relevant documents found in the top k; 0 when there are none. */
export function recallAtK(ranked: readonly string[], judgements: ReadonlyMap<string, number>, k: number): number {
  let relevant = 0;
  for (const grade of judgements.values()) if (grade > 0) relevant++;
  if (relevant === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  let found = 0;
  for (const id of top) if ((judgements.get(id) ?? 0) > 0) found++;
  return found / relevant;
}

/** 1 / rank of the first relevant document within the top k, else 0. */
export function mrrAtK(ranked: readonly string[], judgements: ReadonlyMap<string, number>, k: number): number {
  const cut = Math.min(k, ranked.length);
  for (let i = 0; i < cut; i++) if ((judgements.get(ranked[i]!) ?? 0) > 0) return 1 / (i + 1);
  return 0;
}

/**
 * Scores a run (query id → ranked document ids) against qrels. Queries without any relevant
 * judgement are skipped; judged queries missing from the run count as all-zero.
 */
export function evaluateRun(run: ReadonlyMap<string, readonly string[]>, qrels: Qrels, cutoffs: CutoffOptions = {}): RunMetrics {
  const ndcgAt = cutoffs.ndcgAt ?? 10;
  const recallAt = cutoffs.recallAt ?? 100;
  const mrrAt = cutoffs.mrrAt ?? 10;
  const perQuery = new Map<string, QueryMetrics>();
  const sum: QueryMetrics = { ndcg: 0, recall: 0, mrr: 0 };
  let skipped = 0;
  for (const queryId of run.keys()) if (!hasRelevant(qrels.get(queryId))) skipped++;
  for (const [queryId, judgements] of qrels) {
    if (!hasRelevant(judgements)) continue;
    const ranked = run.get(queryId) ?? [];
    const metrics: QueryMetrics = {
      ndcg: ndcgAtK(ranked, judgements, ndcgAt),
      recall: recallAtK(ranked, judgements, recallAt),
      mrr: mrrAtK(ranked, judgements, mrrAt),
    };
    perQuery.set(queryId, metrics);
    sum.ndcg += metrics.ndcg;
    sum.recall += metrics.recall;
    sum.mrr += metrics.mrr;
  }
  const n = Math.max(1, perQuery.size);
  return {
    mean: { ndcg: sum.ndcg / n, recall: sum.recall / n, mrr: sum.mrr / n },
    perQuery,
    evaluatedQueries: perQuery.size,
    skippedQueries: skipped,
  };
}

/** Reads a BEIR qrels.tsv (query-id, corpus-id, score), with or without a header line. */
export function readBeirQrels(tsvPath: string): Qrels {
  const qrels: Qrels = new Map();
  const lines = readText(tsvPath).split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const [queryId, docId, gradeText] = line.split('\t');
    const grade = Number(gradeText);
    if (queryId === undefined || docId === undefined || gradeText === undefined || !Number.isFinite(grade)) {
      if (index === 0) return; // the header line "query-id corpus-id score"
      throw new PlumbError('bad_request', `${tsvPath}:${index + 1} is not "query-id<TAB>corpus-id<TAB>score".`, {
        hint: 'BEIR qrels are tab-separated with a numeric relevance grade in the third column.',
      });
    }
    let judgements = qrels.get(queryId);
    if (!judgements) qrels.set(queryId, (judgements = new Map()));
    judgements.set(docId, grade);
  });
  return qrels;
}

/** Reads a BEIR queries.jsonl ({"_id" or "id", "text"} per line). */
export function readBeirQueries(jsonlPath: string): BeirQuery[] {
  const queries: BeirQuery[] = [];
  readText(jsonlPath)
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (cause) {
        throw new PlumbError('bad_request', `${jsonlPath}:${index + 1} is not valid JSON.`, {
          hint: 'Each line of a BEIR queries file must be one JSON object.',
          cause,
        });
      }
      const record = (row ?? {}) as { _id?: unknown; id?: unknown; text?: unknown };
      const id = record._id ?? record.id;
      if ((typeof id !== 'string' && typeof id !== 'number') || typeof record.text !== 'string') {
        throw new PlumbError('bad_request', `${jsonlPath}:${index + 1} needs an "_id" (or "id") and a "text" field.`, {
          hint: 'BEIR queries look like {"_id": "1", "text": "…"}.',
        });
      }
      queries.push({ id: String(id), text: record.text });
    });
  return queries;
}

function hasRelevant(judgements: ReadonlyMap<string, number> | undefined): boolean {
  if (!judgements) return false;
  for (const grade of judgements.values()) if (grade > 0) return true;
  return false;
}

function readText(filePath: string): string {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch (cause) {
    throw new PlumbError('not_found', `Could not read ${filePath}.`, { hint: 'Check the path to the BEIR dataset files.', cause });
  }
}
