/**
 * SQuAD v1.1 / v2.0 JSON (`data[].paragraphs[].qas[]`) → golden cases plus the paragraphs as
 * documents to ingest. Each paragraph becomes a document with id "<title>#<paragraph index>".
 * Answer offsets are verified like the SQuAD-style JSONL importer; a v2 question marked
 * `is_impossible` becomes an unanswerable case (the right output is to abstain).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { PlumbError } from '../../core/errors.ts';
import type { GoldenCase } from '../types.ts';
import { goldPassageAround, sentencesOf, type GoldPassageOptions } from './gold-passage.ts';
import type { ImportProblem } from './import-problem.ts';
import { nearestOccurrence } from './squad-style-import.ts';

export interface SquadJsonImport {
  cases: GoldenCase[];
  /** The paragraphs, to ingest as the corpus the cases refer to. */
  documents: Array<{ id: string; title: string; text: string }>;
  problems: ImportProblem[];
  offsetMismatches: number;
}

const answer = z.object({ text: z.string(), answer_start: z.number().int().nonnegative() });
const squadFile = z.object({
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(
            z.object({
              id: z.union([z.string().min(1), z.number().int()]).transform(String),
              question: z.string().min(1),
              answers: z.array(answer).default([]),
              is_impossible: z.boolean().optional(),
            }),
          ),
        }),
      ),
    }),
  ),
});

/** Imports a SQuAD v1/v2 JSON file as golden cases and paragraph documents. */
export function importSquadJson(filePath: string, options: GoldPassageOptions = {}): SquadJsonImport {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(filePath, 'utf8'));
  } catch (cause) {
    throw new PlumbError('bad_request', `Could not read ${filePath} as JSON.`, { hint: 'Pass a SQuAD JSON file (train-v1.1.json, dev-v2.0.json, …).', cause });
  }
  const parsed = squadFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PlumbError('bad_request', `${filePath} is not in SQuAD's shape: ${issue.path.join('.')}: ${issue.message}.`, {
      hint: 'SQuAD files look like {"data": [{"title", "paragraphs": [{"context", "qas": [{"id", "question", "answers": [{"text", "answer_start"}]}]}]}]}.',
    });
  }
  const cases: GoldenCase[] = [];
  const documents: SquadJsonImport['documents'] = [];
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  let offsetMismatches = 0;
  for (const article of parsed.data.data) {
    article.paragraphs.forEach((paragraph, index) => {
      const documentId = `${article.title}#${index}`;
      documents.push({ id: documentId, title: article.title, text: paragraph.context });
      const sentences = sentencesOf(paragraph.context);
      for (const qa of paragraph.qas) {
        if (seen.has(qa.id)) {
          problems.push({ kind: 'duplicate_id', id: qa.id, message: `duplicate question id "${qa.id}" in ${documentId}` });
          continue;
        }
        seen.add(qa.id);
        if (qa.is_impossible || qa.answers.length === 0) {
          cases.push({ id: qa.id, question: qa.question, unanswerable: true });
          continue;
        }
        const passages = new Set<string>();
        for (const a of qa.answers) {
          let start = a.answer_start;
          if (paragraph.context.slice(start, start + a.text.length) !== a.text) {
            offsetMismatches++;
            const found = nearestOccurrence(paragraph.context, a.text, start);
            if (found === undefined) {
              problems.push({ kind: 'answer_not_in_document', id: qa.id, message: `an answer of "${qa.id}" does not occur in its paragraph (${documentId})` });
              continue;
            }
            problems.push({ kind: 'answer_offset_mismatch', id: qa.id, message: `an answer of "${qa.id}" is not at answer_start ${start} but at ${found} (used that)` });
            start = found;
          }
          passages.add(goldPassageAround(paragraph.context, sentences, start, start + a.text.length, options));
        }
        const goldenCase: GoldenCase = { id: qa.id, question: qa.question, referenceAnswer: qa.answers[0]!.text, relevantDocumentIds: { [documentId]: 1 } };
        if (passages.size > 0) goldenCase.goldPassages = [...passages];
        cases.push(goldenCase);
      }
    });
  }
  if (cases.length === 0) throw new PlumbError('bad_request', `${filePath} holds no questions.`, { hint: 'Check that this is a SQuAD file with qas in its paragraphs.' });
  return { cases, documents, problems, offsetMismatches };
}
