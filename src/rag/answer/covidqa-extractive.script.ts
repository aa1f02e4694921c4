/**
 * Measures the offline extractive answerer on COVID-QA (dev split in /work/shared/datasets/covidqa).
 * For each question, the gold article is cut into ~512-token windows of whole sentences; the 5
 * windows sharing the most question terms become the passages; `answerQuestion` answers with the
 * ExtractiveAnswerer. Reports how often the answer contains the gold answer string, SQuAD token
 * F1, abstentions, ms per answer, and — with passages from a different article — how often it
 * rightly abstains.
 *
 *   npx tsx src/rag/answer/covidqa-extractive.script.ts [--limit N] [--min-coverage 0.4] [--datasets DIR]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { RetrievedChunk } from '../../core/document.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import { ExtractiveAnswerer } from './extractive-answerer.ts';
import { contentTermSet } from '../../text/content-terms.ts';
import { splitSentences } from '../../text/sentences.ts';
import { answerQuestion } from './answer.ts';
import { stripCitationMarkers } from './citations.ts';

const { values: args } = parseArgs({
  options: {
    limit: { type: 'string' },
    'min-coverage': { type: 'string' },
    datasets: { type: 'string', default: '/work/shared/datasets' },
  },
});

interface Golden {
  id: string;
  question: string;
  answer: string;
  doc_id: string;
}

const WINDOW_TOKENS = 512;
const TOP_K = 5;
const BUDGET_TOKENS = 4096;
const tokenizer = getTokenizer();

const dir = join(args.datasets, 'covidqa');
const readJsonl = <T>(file: string): T[] =>
  readFileSync(join(dir, file), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
const articles = new Map(readJsonl<{ id: string; text: string }>('corpus.jsonl').map((a) => [a.id, a.text]));
const goldens = readJsonl<Golden>('golden.jsonl').slice(0, args.limit === undefined ? undefined : Number(args.limit));

/** Whole sentences packed into windows of at most WINDOW_TOKENS (a long sentence stands alone). */
function windowsOf(docId: string, text: string): Array<{ text: string; start: number; terms: Set<string> }> {
  const windows: Array<{ text: string; start: number; terms: Set<string> }> = [];
  let start = -1;
  let end = 0;
  let tokens = 0;
  const flush = (): void => {
    if (start < 0) return;
    const windowText = text.slice(start, end);
    windows.push({ text: windowText, start, terms: contentTermSet(windowText) });
    start = -1;
    tokens = 0;
  };
  for (const sentence of splitSentences(text)) {
    const count = tokenizer.count(sentence.text);
    if (start >= 0 && tokens + count > WINDOW_TOKENS) flush();
    if (start < 0) start = sentence.start;
    end = sentence.end;
    tokens += count;
  }
  flush();
  if (windows.length === 0) throw new Error(`article ${docId} has no text`);
  return windows;
}

const windowCache = new Map<string, ReturnType<typeof windowsOf>>();
function topWindows(docId: string, question: string): RetrievedChunk[] {
  let windows = windowCache.get(docId);
  if (!windows) {
    windows = windowsOf(docId, articles.get(docId) ?? '');
    windowCache.set(docId, windows);
  }
  const questionTerms = contentTermSet(question);
  const scored = windows
    .map((w, ordinal) => ({ w, ordinal, overlap: [...questionTerms].filter((t) => w.terms.has(t)).length }))
    .sort((a, b) => b.overlap - a.overlap || a.ordinal - b.ordinal)
    .slice(0, TOP_K);
  return scored.map(({ w, ordinal, overlap }, index) => ({
    chunk: {
      id: `${docId}#${ordinal}`,
      tenantId: 'bench',
      documentId: docId,
      ordinal,
      text: w.text,
      headingPath: [],
      charStart: w.start,
      charEnd: w.start + w.text.length,
      tokenCount: tokenizer.count(w.text),
      contentHash: `${docId}#${ordinal}`,
      metadata: {},
    },
    rank: index + 1,
    score: overlap,
    signals: {},
    document: { id: docId, title: (articles.get(docId) ?? '').split('\n')[0] ?? null, source: `covidqa/${docId}` },
  }));
}

const normalize = (s: string): string =>
  s.toLowerCase().replace(/\s*\[\d+(?:\s*[-–,;]\s*\d+)*\]/g, '').replace(/\s+/g, ' ').trim();
const squadTokens = (s: string): string[] =>
  s.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\b(a|an|the)\b/g, ' ').split(/\s+/).filter(Boolean);

/** SQuAD token F1 between a prediction and the gold answer. */
function tokenF1(prediction: string, gold: string): number {
  const p = squadTokens(prediction);
  const g = squadTokens(gold);
  if (p.length === 0 || g.length === 0) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let shared = 0;
  for (const t of p) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(t, left - 1);
    }
  }
  if (shared === 0) return 0;
  const precision = shared / p.length;
  const recall = shared / g.length;
  return (2 * precision * recall) / (precision + recall);
}

const model = new ExtractiveAnswerer(args['min-coverage'] === undefined ? {} : { minCoverage: Number(args['min-coverage']) });
const docIds = [...articles.keys()];

let contains = 0;
let goldInPassages = 0;
let containsWhenReachable = 0;
let f1Sum = 0;
let abstained = 0;
let sentences = 0;
let answerMs = 0;
let modelMs = 0;
let mismatchedAbstained = 0;
let invalid = 0;

for (const golden of goldens) {
  const chunks = topWindows(golden.doc_id, golden.question);
  const gold = normalize(golden.answer);
  const reachable = chunks.some((c) => normalize(c.chunk.text).includes(gold));
  if (reachable) goldInPassages++;

  const started = performance.now();
  const answer = await answerQuestion({ model, question: golden.question, chunks, budgetTokens: BUDGET_TOKENS });
  answerMs += performance.now() - started;
  modelMs += answer.latencyMs;

  const plain = stripCitationMarkers(answer.text);
  const hit = !answer.abstained && normalize(plain).includes(gold);
  if (hit) contains++;
  if (hit && reachable) containsWhenReachable++;
  f1Sum += answer.abstained ? 0 : tokenF1(plain, golden.answer);
  if (answer.abstained) abstained++;
  sentences += answer.citations.length === 0 ? 0 : (answer.text.match(/\[\d+\]/g) ?? []).length;
  invalid += answer.invalidCitations.length;

  // The same question against another article: the right behaviour is to abstain.
  const otherDoc = docIds[(docIds.indexOf(golden.doc_id) + docIds.length / 2) % docIds.length] ?? golden.doc_id;
  const mismatched = await answerQuestion({ model, question: golden.question, chunks: topWindows(otherDoc, golden.question), budgetTokens: BUDGET_TOKENS });
  if (mismatched.abstained) mismatchedAbstained++;
}

const n = goldens.length;
const pct = (x: number, of = n): string => `${((100 * x) / Math.max(1, of)).toFixed(1)}%`;
console.log(`COVID-QA dev, ${n} questions, top ${TOP_K} of ~${WINDOW_TOKENS}-token windows of the gold article, ${model.provider}/${model.modelId}`);
console.log(`gold answer inside the ${TOP_K} passages (ceiling): ${pct(goldInPassages)}`);
console.log(`answer contains the gold answer:           ${pct(contains)} (${pct(containsWhenReachable, goldInPassages)} of reachable)`);
console.log(`token F1 vs gold (abstentions score 0):    ${(f1Sum / Math.max(1, n)).toFixed(3)}`);
console.log(`abstained on answerable questions:         ${pct(abstained)}`);
console.log(`abstained with another article's passages: ${pct(mismatchedAbstained)}`);
console.log(`sentences per answer:                      ${(sentences / Math.max(1, n - abstained)).toFixed(2)}`);
console.log(`invalid citations:                         ${invalid}`);
console.log(`ms per answer (prompt + select + cite):    ${(answerMs / Math.max(1, n)).toFixed(2)} (model call alone ${(modelMs / Math.max(1, n)).toFixed(2)})`);
