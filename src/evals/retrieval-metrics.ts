/**
 * Ranked-retrieval metrics as trec_eval / pytrec_eval (and so BEIR) compute them: nDCG@k with
 * linear graded gain and a log2(rank + 1) discount, Recall@k over the judged-relevant documents,
 * MRR@k, Precision@k (divided by k, as trec_eval's P_k), average precision (MAP) divided by all
 * relevant documents (as trec_eval's map / map_cut), and hit rate@k. Plus readers for BEIR's
 * qrels.tsv and queries.jsonl.
 */
import fs from 'node:fs';
import { PlumbError } from '../core/errors.ts';
import { scored, undetermined, type Score } from '../core/score.ts';

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
  precision: number;
  /** Average precision of this query; its mean over queries is MAP. */
  map: number;
  hitRate: number;
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
  /** Default 10. */
  precisionAt?: number;
  /** Default: no cutoff (the whole ranked list, as trec_eval's map). */
  mapAt?: number;
  /** Default 10. */
  hitAt?: number;
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

/** Distinct relevant documents in the top k, divided by k (trec_eval's P_k). */
export function precisionAtK(ranked: readonly string[], judgements: ReadonlyMap<string, number>, k: number): number {
  if (k <= 0) return 0;
  let found = 0;
  for (const id of new Set(ranked.slice(0, k))) if ((judgements.get(id) ?? 0) > 0) found++;
  return found / k;
}

/**
 * Average precision within the top k: the sum of precision@rank at each relevant document found,
 * divided by the number of relevant documents (found or not); 0 when there are none.
 */
export function averagePrecisionAtK(ranked: readonly string[], judgements: ReadonlyMap<string, number>, k = Number.POSITIVE_INFINITY): number {
  let relevant = 0;
  for (const grade of judgements.values()) if (grade > 0) relevant++;
  if (relevant === 0) return 0;
  const seen = new Set<string>();
  const cut = Math.min(k, ranked.length);
  let found = 0;
  let sum = 0;
  for (let i = 0; i < cut; i++) {
    const id = ranked[i]!;
    if (seen.has(id)) continue;
    seen.add(id);
    if ((judgements.get(id) ?? 0) > 0) {
      found++;
      sum += found / (i + 1);
    }
  }
  return sum / relevant;
}

/** 1 when any relevant document is in the top k, else 0. */
export function hitRateAtK(ranked: readonly string[], judgements: ReadonlyMap<string, number>, k: number): number {
  return mrrAtK(ranked, judgements, k) > 0 ? 1 : 0;
}

/** Every metric of one ranked list, at the given cutoffs (the defaults of `evaluateRun`). */
export function queryMetrics(ranked: readonly string[], judgements: ReadonlyMap<string, number>, cutoffs: CutoffOptions = {}): QueryMetrics {
  const c = resolveCutoffs(cutoffs);
  return {
    ndcg: ndcgAtK(ranked, judgements, c.ndcgAt),
    recall: recallAtK(ranked, judgements, c.recallAt),
    mrr: mrrAtK(ranked, judgements, c.mrrAt),
    precision: precisionAtK(ranked, judgements, c.precisionAt),
    map: averagePrecisionAtK(ranked, judgements, c.mapAt),
    hitRate: hitRateAtK(ranked, judgements, c.hitAt),
  };
}

/**
 * The metrics of one case as named Scores ("ndcg@10", "recall@100", "mrr@10", "precision@10",
 * "map" or "map@k", "hit_rate@10"); all undetermined when the case has no relevant judgement,
 * because no ranking could score anything on it.
 */
export function retrievalScores(ranked: readonly string[], judgements: ReadonlyMap<string, number>, cutoffs: CutoffOptions = {}): Score[] {
  const c = resolveCutoffs(cutoffs);
  const names: Record<keyof QueryMetrics, string> = {
    ndcg: `ndcg@${c.ndcgAt}`,
    recall: `recall@${c.recallAt}`,
    mrr: `mrr@${c.mrrAt}`,
    precision: `precision@${c.precisionAt}`,
    map: Number.isFinite(c.mapAt) ? `map@${c.mapAt}` : 'map',
    hitRate: `hit_rate@${c.hitAt}`,
  };
  const keys = Object.keys(names) as Array<keyof QueryMetrics>;
  if (!hasRelevant(judgements)) {
    return keys.map((key) => undetermined(names[key], 'the case has no document judged relevant, so no ranking can be scored on it', { method: 'exact' }));
  }
  const metrics = queryMetrics(ranked, judgements, c);
  const foundAt: Array<{ id: string; rank: number }> = [];
  const seen = new Set<string>();
  ranked.forEach((id, index) => {
    if (!seen.has(id) && (judgements.get(id) ?? 0) > 0) foundAt.push({ id, rank: index + 1 });
    seen.add(id);
  });
  const relevant = [...judgements].filter(([, grade]) => grade > 0).length;
  const reason =
    foundAt.length === 0
      ? `none of the ${relevant} relevant documents was retrieved (${ranked.length} retrieved)`
      : `${foundAt.length} of ${relevant} relevant documents retrieved, the first at rank ${foundAt[0]!.rank}`;
  const evidence = { relevant, found: foundAt.slice(0, 20) };
  return keys.map((key) => scored(names[key], metrics[key], reason, { evidence, method: 'exact' }));
}

/**
 * Scores a run (query id → ranked document ids) against qrels. Queries without any relevant
 * judgement are skipped; judged queries missing from the run count as all-zero.
 */
export function evaluateRun(run: ReadonlyMap<string, readonly string[]>, qrels: Qrels, cutoffs: CutoffOptions = {}): RunMetrics {
  const c = resolveCutoffs(cutoffs);
  const perQuery = new Map<string, QueryMetrics>();
  const sum: QueryMetrics = { ndcg: 0, recall: 0, mrr: 0, precision: 0, map: 0, hitRate: 0 };
  let skipped = 0;
  for (const queryId of run.keys()) if (!hasRelevant(qrels.get(queryId))) skipped++;
  for (const [queryId, judgements] of qrels) {
    if (!hasRelevant(judgements)) continue;
    const ranked = run.get(queryId) ?? [];
    const metrics = queryMetrics(ranked, judgements, c);
    perQuery.set(queryId, metrics);
    for (const key of Object.keys(sum) as Array<keyof QueryMetrics>) sum[key] += metrics[key];
  }
  const n = Math.max(1, perQuery.size);
  return {
    mean: {
      ndcg: sum.ndcg / n,
      recall: sum.recall / n,
      mrr: sum.mrr / n,
      precision: sum.precision / n,
      map: sum.map / n,
      hitRate: sum.hitRate / n,
    },
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

function resolveCutoffs(cutoffs: CutoffOptions): Required<CutoffOptions> {
  return {
    ndcgAt: cutoffs.ndcgAt ?? 10,
    recallAt: cutoffs.recallAt ?? 100,
    mrrAt: cutoffs.mrrAt ?? 10,
    precisionAt: cutoffs.precisionAt ?? 10,
    mapAt: cutoffs.mapAt ?? Number.POSITIVE_INFINITY,
    hitAt: cutoffs.hitAt ?? 10,
  };
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
