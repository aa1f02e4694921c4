/**
 * BEIR (queries.jsonl, qrels.tsv, optionally corpus.jsonl) → golden cases. Each query with at least
 * one judgement becomes a case whose `relevantDocumentIds` are its graded qrels. Qrels that name a
 * query missing from the queries file, or (when the corpus is given) a document missing from the
 * corpus, are reported as problems. A missing document's judgement is kept, as trec_eval keeps it,
 * so scores stay comparable with published BEIR numbers — the report says it can never be found.
 */
import { PlumbError } from '../../core/errors.ts';
import { readBeirQrels, readBeirQueries, type BeirQuery, type Qrels } from '../retrieval-metrics.ts';
import type { GoldenCase } from '../types.ts';
import type { ImportProblem } from './import-problem.ts';
import { readJsonlLines } from './jsonl-lines.ts';

export interface BeirImportInput {
  /** queries.jsonl path, or queries already read. */
  queries: string | readonly BeirQuery[];
  /** qrels.tsv path, or qrels already read. */
  qrels: string | Qrels;
  /** corpus.jsonl path, or the set of its document ids: enables the missing-document check. */
  corpus?: string | ReadonlySet<string>;
  /** Throw at the first problem instead of reporting it. */
  strict?: boolean;
}

export interface BeirImport {
  cases: GoldenCase[];
  problems: ImportProblem[];
  /** Queries with no judgement at all (normal: a BEIR queries file spans several splits). */
  queriesWithoutJudgements: number;
}

/** Imports a BEIR dataset as golden cases, reporting qrels that point at unknown queries or documents. */
export async function importBeir(input: BeirImportInput): Promise<BeirImport> {
  const queries = typeof input.queries === 'string' ? readBeirQueries(input.queries) : input.queries;
  const qrels = typeof input.qrels === 'string' ? readBeirQrels(input.qrels) : input.qrels;
  const problems: ImportProblem[] = [];
  const report = (problem: ImportProblem): void => {
    if (input.strict) throw new PlumbError('bad_request', problem.message, { hint: 'Check that the queries, qrels and corpus files come from the same BEIR dataset.', details: { ...problem } });
    problems.push(problem);
  };

  const corpusIds = input.corpus === undefined ? undefined : typeof input.corpus === 'string' ? await readCorpusIds(input.corpus, report) : input.corpus;
  const queryById = new Map<string, BeirQuery>();
  for (const query of queries) queryById.set(query.id, query);

  for (const queryId of qrels.keys()) {
    if (!queryById.has(queryId)) report({ kind: 'unknown_query', id: queryId, message: `qrels judge query "${queryId}", which is not in the queries file` });
  }
  const cases: GoldenCase[] = [];
  let queriesWithoutJudgements = 0;
  for (const query of queries) {
    const judgements = qrels.get(query.id);
    if (!judgements || judgements.size === 0) {
      queriesWithoutJudgements++;
      continue;
    }
    const relevantDocumentIds: Record<string, number> = {};
    for (const [documentId, grade] of judgements) {
      relevantDocumentIds[documentId] = grade;
      if (corpusIds && !corpusIds.has(documentId)) {
        report({ kind: 'unknown_document', id: documentId, message: `qrels for query "${query.id}" name document "${documentId}", which is not in the corpus` });
      }
    }
    cases.push({ id: query.id, question: query.text, relevantDocumentIds });
  }
  if (cases.length === 0) {
    throw new PlumbError('bad_request', 'No query in the queries file has a judgement in the qrels file.', { hint: 'Check that both files come from the same BEIR dataset and split.' });
  }
  return { cases, problems, queriesWithoutJudgements };
}

async function readCorpusIds(corpusPath: string, report: (problem: ImportProblem) => void): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const row of readJsonlLines(corpusPath)) {
    const record = row.value as { _id?: unknown; id?: unknown } | null | undefined;
    const id = record?._id ?? record?.id;
    if (row.error !== undefined || (typeof id !== 'string' && typeof id !== 'number')) {
      report({ kind: 'bad_line', line: row.line, message: `${corpusPath}:${row.line}: ${row.error ?? 'a corpus line needs an "_id" (or "id")'}` });
      continue;
    }
    ids.add(String(id));
  }
  return ids;
}
