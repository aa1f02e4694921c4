/**
 * Abstention: on an unanswerable case (the corpus holds no answer) the right output is to decline;
 * on an answerable one, declining is a miss. Whether the system declined comes from
 * `output.abstained` when the system says so, else from the answer text (`isAbstention`).
 */
import { scored, undetermined, type Score } from '../../core/score.ts';
import { isAbstention } from '../../rag/answer/abstention.ts';
import type { GoldenCase, SystemOutput } from '../types.ts';

export const ABSTENTION = 'abstention';

/** Whether the output declined to answer. */
export function didAbstain(output: Pick<SystemOutput, 'answer' | 'abstained'>): boolean {
  return output.abstained ?? isAbstention(output.answer);
}

/** 1 when the output abstained exactly when the case is unanswerable, else 0; undetermined when the system failed. */
export function abstention(goldenCase: Pick<GoldenCase, 'unanswerable'>, output: Pick<SystemOutput, 'answer' | 'abstained' | 'error'>): Score {
  if (output.error !== undefined) {
    return undetermined(ABSTENTION, `the system failed on this case (${output.error}), so it neither answered nor abstained`, { method: 'exact' });
  }
  const shouldAbstain = goldenCase.unanswerable === true;
  const abstained = didAbstain(output);
  const source = output.abstained === undefined ? 'detected from the answer text' : 'reported by the system';
  const evidence = { unanswerable: shouldAbstain, abstained, source };
  if (shouldAbstain) {
    return abstained
      ? scored(ABSTENTION, 1, `the case is unanswerable and the system abstained (${source})`, { method: 'exact', evidence })
      : scored(ABSTENTION, 0, 'the case is unanswerable but the system answered anyway', { method: 'exact', evidence });
  }
  return abstained
    ? scored(ABSTENTION, 0, `the case is answerable but the system abstained (${source})`, { method: 'exact', evidence })
    : scored(ABSTENTION, 1, 'the case is answerable and the system answered', { method: 'exact', evidence });
}

export interface AbstentionSummary {
  /** Abstained on an unanswerable case. */
  truePositives: number;
  /** Abstained on an answerable case. */
  falsePositives: number;
  /** Answered an unanswerable case. */
  falseNegatives: number;
  /** Answered an answerable case. */
  trueNegatives: number;
  /** Of the abstentions, the share on unanswerable cases. */
  precision: Score;
  /** Of the unanswerable cases, the share abstained on. */
  recall: Score;
  /** Cases left out because the system failed on them. */
  failed: number;
}

/** Abstention precision and recall over a set (abstaining is the positive class); undetermined when a denominator is 0. */
export function summarizeAbstention(results: ReadonlyArray<{ goldenCase: Pick<GoldenCase, 'unanswerable'>; output: Pick<SystemOutput, 'answer' | 'abstained' | 'error'> }>): AbstentionSummary {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let failed = 0;
  for (const { goldenCase, output } of results) {
    if (output.error !== undefined) {
      failed += 1;
      continue;
    }
    const positive = goldenCase.unanswerable === true;
    const abstained = didAbstain(output);
    if (abstained && positive) tp += 1;
    else if (abstained) fp += 1;
    else if (positive) fn += 1;
    else tn += 1;
  }
  const evidence = { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn };
  const precision =
    tp + fp === 0
      ? undetermined('abstention_precision', 'the system never abstained', { method: 'exact', evidence })
      : scored('abstention_precision', tp / (tp + fp), `${tp} of ${tp + fp} abstentions were on unanswerable cases`, { method: 'exact', evidence });
  const recall =
    tp + fn === 0
      ? undetermined('abstention_recall', 'the set has no unanswerable case', { method: 'exact', evidence })
      : scored('abstention_recall', tp / (tp + fn), `the system abstained on ${tp} of ${tp + fn} unanswerable cases`, { method: 'exact', evidence });
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, precision, recall, failed };
}
