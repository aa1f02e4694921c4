/**
 * SQuAD-style question answering in two JSONL files (the shape of ../shared/datasets/covidqa):
 * golden rows {id, question, answer, doc_id, answer_start} and corpus rows {id, text}, where
 * answer_start is the character offset of the answer in its article. Each row becomes a case with
 * the answer as reference, its article as the relevant document, and the sentence(s) around the
 * answer as gold passage. The offset is verified; a row whose answer is not at its offset is
 * reported, and if the answer occurs elsewhere in the article the occurrence nearest the given
 * offset is used.
 */
import { z } from 'zod';
import { PlumbError } from '../../core/errors.ts';
import type { Sentence } from '../../text/sentences.ts';
import type { GoldenCase } from '../types.ts';
import { goldPassageAround, sentencesOf, type GoldPassageOptions } from './gold-passage.ts';
import type { ImportProblem } from './import-problem.ts';
import { readJsonlLines } from './jsonl-lines.ts';

export interface SquadStyleImportInput extends GoldPassageOptions {
  /** JSONL of {id, question, answer, doc_id, answer_start}. */
  golden: string;
  /** JSONL of {id, text}. */
  corpus: string;
  strict?: boolean;
}

export interface SquadStyleImport {
  cases: GoldenCase[];
  problems: ImportProblem[];
  /** Rows whose answer was not at answer_start (each also in `problems`). */
  offsetMismatches: number;
}

const idValue = z.union([z.string().min(1), z.number().int()]).transform(String);
const goldenRow = z.object({
  id: idValue,
  question: z.string().min(1),
  answer: z.string().min(1),
  doc_id: idValue,
  answer_start: z.number().int().nonnegative(),
});
const corpusRow = z.object({ id: idValue, text: z.string() });

/** Imports SQuAD-style JSONL (golden + corpus) as golden cases with verified gold passages. */
export async function importSquadStyle(input: SquadStyleImportInput): Promise<SquadStyleImport> {
  const problems: ImportProblem[] = [];
  const report = (problem: ImportProblem): void => {
    if (input.strict) throw new PlumbError('bad_request', problem.message, { hint: 'Fix the row, or import without --strict to skip it and see every problem.', details: { ...problem } });
    problems.push(problem);
  };

  const articles = new Map<string, string>();
  for await (const row of readJsonlLines(input.corpus)) {
    const parsed = corpusRow.safeParse(row.value);
    if (row.error !== undefined || !parsed.success) {
      report({ kind: 'bad_line', line: row.line, message: `${input.corpus}:${row.line}: ${row.error ?? 'a corpus row needs "id" and "text"'}` });
    } else articles.set(parsed.data.id, parsed.data.text);
  }

  const sentenceCache = new Map<string, Sentence[]>();
  const cases: GoldenCase[] = [];
  const seen = new Set<string>();
  let offsetMismatches = 0;
  for await (const row of readJsonlLines(input.golden)) {
    const where = `${input.golden}:${row.line}`;
    const parsed = goldenRow.safeParse(row.value);
    if (row.error !== undefined || !parsed.success) {
      const why = row.error ?? parsed.error!.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
      report({ kind: 'bad_line', line: row.line, message: `${where}: ${why}` });
      continue;
    }
    const { id, question, answer, doc_id: documentId, answer_start: givenStart } = parsed.data;
    if (seen.has(id)) {
      report({ kind: 'duplicate_id', line: row.line, id, message: `${where}: duplicate id "${id}"` });
      continue;
    }
    seen.add(id);
    const article = articles.get(documentId);
    if (article === undefined) {
      report({ kind: 'unknown_document', line: row.line, id: documentId, message: `${where}: doc_id "${documentId}" is not in ${input.corpus}` });
      continue;
    }
    const goldenCase: GoldenCase = { id, question, referenceAnswer: answer, relevantDocumentIds: { [documentId]: 1 } };
    let start = givenStart;
    if (article.slice(start, start + answer.length) !== answer) {
      offsetMismatches++;
      const found = nearestOccurrence(article, answer, givenStart);
      if (found === undefined) {
        report({ kind: 'answer_not_in_document', line: row.line, id, message: `${where}: the answer of "${id}" does not occur in document "${documentId}"; imported without a gold passage` });
        cases.push(goldenCase);
        continue;
      }
      report({ kind: 'answer_offset_mismatch', line: row.line, id, message: `${where}: the answer of "${id}" is not at answer_start ${givenStart} but at ${found} (used that)` });
      start = found;
    }
    let sentences = sentenceCache.get(documentId);
    if (!sentences) sentenceCache.set(documentId, (sentences = sentencesOf(article)));
    goldenCase.goldPassages = [goldPassageAround(article, sentences, start, start + answer.length, input)];
    goldenCase.metadata = { answerStart: start };
    cases.push(goldenCase);
  }
  if (cases.length === 0) {
    throw new PlumbError('bad_request', `No usable question in ${input.golden} (${problems.length} problems).`, {
      hint: 'Rows need id, question, answer, doc_id and answer_start, and doc_id must name a row of the corpus file.',
      details: { problems: problems.slice(0, 20) },
    });
  }
  return { cases, problems, offsetMismatches };
}

/** The start of the occurrence of `needle` closest to `near`, if any. */
export function nearestOccurrence(text: string, needle: string, near: number): number | undefined {
  let best: number | undefined;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (best === undefined || Math.abs(at - near) < Math.abs(best - near)) best = at;
  }
  return best;
}
