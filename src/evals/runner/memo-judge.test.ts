import { describe, expect, it } from 'vitest';
import { decomposeAnswer } from '../claims/decompose-claims.ts';
import type { SupportJudge } from '../judges/judge.ts';
import { createOfflineJudge } from '../judges/offline/index.ts';
import { memoizeJudge } from './memo-judge.ts';

describe('memoizeJudge', () => {
  it('judges a claim against the same contexts once and returns the same verdicts', async () => {
    const real = createOfflineJudge();
    let judgedClaims = 0;
    const counting: SupportJudge = { name: real.name, version: real.version, kind: real.kind, judge: (claims, contexts) => ((judgedClaims += claims.length), real.judge(claims, contexts)) };
    const contexts = [
      { chunkId: 'a', documentId: 'd', text: 'The server listens on port 8787 by default.' },
      { chunkId: 'b', documentId: 'd', text: 'API keys are hashed with SHA-256.' },
    ];
    const { claims } = decomposeAnswer('The server listens on port 8787. API keys are stored in plain text.');
    const memo = memoizeJudge(counting);
    const first = await memo.judge(claims, contexts);
    const again = await memo.judge([{ ...claims[1]!, id: 'x9' }], contexts);
    expect(judgedClaims).toBe(claims.length);
    expect(first).toEqual(await real.judge(claims, contexts));
    expect(again.perClaim[0]).toMatchObject({ claimId: 'x9', verdict: first.perClaim[1]!.verdict });
    // Other contexts are judged afresh.
    await memo.judge(claims, contexts.slice(0, 1));
    expect(judgedClaims).toBe(claims.length * 2);
  });
});
