/**
 * Picks the passage sentences that best answer a question, by lexical overlap: question terms
 * weighted by how rare they are among the passages' sentences (IDF), with boosts for a passage's
 * rank and for sentences holding the question's rarest terms. It matches words, not meaning: a
 * question phrased with different words than the passage will be missed.
 */
import type { ContextPassage } from '../../core/model.ts';
import type { Tokenizer } from '../../core/tokenizer.ts';
import { contentTerms } from '../../text/content-terms.ts';
import { splitSentences } from '../../text/sentences.ts';

export interface SelectionOptions {
  /** Budget for the answer text, citations included. */
  maxOutputTokens: number;
  maxSentences: number;
  /**
   * Share of the question's IDF weight the best sentence must cover, else nothing is selected
   * (the caller abstains).
   */
  minCoverage: number;
  /** Extra sentences must score at least this fraction of the best one. */
  minRelativeScore: number;
  /** A sentence sharing this Jaccard share of terms with a chosen one adds nothing new. */
  maxRedundancy: number;
}

export const DEFAULT_SELECTION: SelectionOptions = {
  maxOutputTokens: 120,
  maxSentences: 3,
  minCoverage: 0.4,
  minRelativeScore: 0.75,
  maxRedundancy: 0.6,
};

export interface SelectedSentence {
  /** The sentence as it will be written, without the passage's own reference markers. */
  text: string;
  passageNumber: number;
  /** Position of the passage in the request (0 = best ranked). */
  passageIndex: number;
  /** Offset of the sentence in its passage. */
  start: number;
  score: number;
  /** Share of the question's IDF weight the sentence covers, in [0, 1]. */
  coverage: number;
}

export interface Selection {
  sentences: SelectedSentence[];
  /** True when the best sentence had to be cut to fit `maxOutputTokens`. */
  truncated: boolean;
  /** Coverage of the best candidate, selected or not (diagnostics and threshold tuning). */
  bestCoverage: number;
}

interface Candidate extends SelectedSentence {
  terms: Set<string>;
}

// The passages' own reference markers ("[12]", "[3, 4]") would read as citations of our passages.
const REFERENCE_MARKER = /\s*\[\d+(?:\s*[-–,;]\s*\d+)*\]/g;
const MIN_WORDS = 4;
const RANK_BOOST = 0.1;
const RARE_TERM_BOOST = 0.15;
const RARE_TERMS = 2;
const RESTATEMENT_PENALTY = 0.3;

/** Chooses and orders the sentences of `passages` that answer `question`. */
export function selectSentences(
  question: string,
  passages: readonly ContextPassage[],
  tokenizer: Tokenizer,
  options: SelectionOptions = DEFAULT_SELECTION,
): Selection {
  const questionTerms = new Set(contentTerms(question));
  const candidates = collectCandidates(passages);
  if (questionTerms.size === 0 || candidates.length === 0) return { sentences: [], truncated: false, bestCoverage: 0 };

  const idf = inverseDocumentFrequency(questionTerms, candidates);
  const totalWeight = [...questionTerms].reduce((sum, t) => sum + (idf.get(t) ?? 0), 0);
  const rarest = [...questionTerms]
    .filter((t) => candidates.some((c) => c.terms.has(t)))
    .sort((a, b) => (idf.get(b) ?? 0) - (idf.get(a) ?? 0))
    .slice(0, RARE_TERMS);

  for (const candidate of candidates) {
    let covered = 0;
    for (const term of questionTerms) if (candidate.terms.has(term)) covered += idf.get(term) ?? 0;
    candidate.coverage = totalWeight > 0 ? covered / totalWeight : 0;
    const rareBoost = rarest.some((t) => candidate.terms.has(t)) ? 1 + RARE_TERM_BOOST : 1;
    const rankBoost = 1 + RANK_BOOST / (candidate.passageIndex + 1);
    // A sentence that quotes the question ("ask, for example, how to X") restates it, not answers it.
    const restatement = quotesQuestion(candidate.text, question) ? RESTATEMENT_PENALTY : 1;
    candidate.score = candidate.coverage * rareBoost * rankBoost * restatement;
  }
  candidates.sort((a, b) => b.score - a.score || a.passageIndex - b.passageIndex || a.start - b.start);

  const best = candidates[0];
  if (!best || best.coverage < options.minCoverage) {
    return { sentences: [], truncated: false, bestCoverage: best?.coverage ?? 0 };
  }
  return { ...pickWithinBudget(candidates, tokenizer, options), bestCoverage: best.coverage };
}

/** True when the sentence contains the whole question (case, punctuation and spacing ignored). */
export function quotesQuestion(sentence: string, question: string): boolean {
  const squash = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const q = squash(question);
  return q.split(' ').length >= 3 && squash(sentence).includes(q);
}

/** How a selected sentence is written in the answer: the sentence, then its citation. */
export function renderCited(sentence: Pick<SelectedSentence, 'text' | 'passageNumber'>): string {
  return `${sentence.text} [${sentence.passageNumber}]`;
}

function collectCandidates(passages: readonly ContextPassage[]): Candidate[] {
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  passages.forEach((passage, passageIndex) => {
    for (const sentence of splitSentences(passage.text)) {
      // Headings and code are labels and listings, not answers.
      if (sentence.kind === 'heading' || sentence.kind === 'code') continue;
      const text = sentence.text.replace(REFERENCE_MARKER, '').replace(/\s+/g, ' ').trim();
      if (text.split(' ').length < MIN_WORDS) continue;
      // The same sentence in two passages (overlapping chunks) is one candidate, from the better passage.
      const key = text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({
        text,
        passageNumber: passage.n,
        passageIndex,
        start: sentence.start,
        score: 0,
        coverage: 0,
        terms: new Set(contentTerms(text)),
      });
    }
  });
  return candidates;
}

/**
 * BM25-style IDF over sentences. A question term found in no sentence weighs as much as one found
 * in a single sentence: missing it lowers coverage, but one synonym ("virus" for "SARS-CoV-2")
 * should not make a short question unanswerable.
 */
function inverseDocumentFrequency(terms: Set<string>, candidates: Candidate[]): Map<string, number> {
  const n = candidates.length;
  const idf = new Map<string, number>();
  for (const term of terms) {
    let df = 0;
    for (const c of candidates) if (c.terms.has(term)) df++;
    idf.set(term, Math.log(1 + (n - Math.max(df, 1) + 0.5) / (Math.max(df, 1) + 0.5)));
  }
  return idf;
}

function pickWithinBudget(ranked: Candidate[], tokenizer: Tokenizer, options: SelectionOptions): Omit<Selection, 'bestCoverage'> {
  const best = ranked[0];
  if (!best) return { sentences: [], truncated: false };
  const chosen: Candidate[] = [];
  let remaining = options.maxOutputTokens;
  let truncated = false;

  for (const candidate of ranked) {
    if (chosen.length >= options.maxSentences) break;
    if (chosen.length > 0 && candidate.score < best.score * options.minRelativeScore) break;
    if (chosen.some((c) => jaccard(c.terms, candidate.terms) >= options.maxRedundancy)) continue;
    // A joining space costs a token between sentences.
    const cost = tokenizer.count(renderCited(candidate)) + (chosen.length > 0 ? 1 : 0);
    if (cost <= remaining) {
      chosen.push(candidate);
      remaining -= cost;
    } else if (chosen.length === 0) {
      // The best sentence alone is over budget: keep its beginning rather than say nothing.
      chosen.push({ ...candidate, text: cutToTokens(candidate, remaining, tokenizer) });
      truncated = true;
      break;
    }
  }
  return { sentences: readingOrder(chosen), truncated };
}

/** Passages in the order their best sentence was chosen; sentences of one passage in text order. */
function readingOrder(chosen: Candidate[]): SelectedSentence[] {
  const passageOrder = [...new Set(chosen.map((c) => c.passageIndex))];
  return [...chosen]
    .sort((a, b) => passageOrder.indexOf(a.passageIndex) - passageOrder.indexOf(b.passageIndex) || a.start - b.start)
    .map(({ terms: _terms, ...sentence }) => sentence);
}

/** The longest word-boundary prefix of the sentence that fits `budget` with its citation and an ellipsis. */
function cutToTokens(candidate: Candidate, budget: number, tokenizer: Tokenizer): string {
  const words = candidate.text.split(' ');
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const text = `${words.slice(0, middle).join(' ')}…`;
    if (tokenizer.count(renderCited({ text, passageNumber: candidate.passageNumber })) <= budget) low = middle;
    else high = middle - 1;
  }
  return `${words.slice(0, Math.max(1, low)).join(' ')}…`;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / (a.size + b.size - shared);
}
