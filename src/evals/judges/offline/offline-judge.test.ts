import { describe, expect, it } from 'vitest';
import { decomposeClaims } from '../../claims/decompose-claims.ts';
import type { EvalContext } from '../../types.ts';
import type { AttributionGrid } from '../judge.ts';
import { createOfflineJudge } from './offline-judge.ts';

const chunks: EvalContext[] = [
  { chunkId: 'weather', documentId: 'd1', text: 'Paris had a mild winter. Rainfall was above average in January.' },
  {
    chunkId: 'poseidon',
    documentId: 'd2',
    text: 'Poseidon is a 2006 disaster film directed by Wolfgang Petersen. Poseidon grossed $ 181,674,817 at the worldwide box office on a budget of $ 160 million. Sales of the DVD decreased in 2007.',
  },
];
const judge = createOfflineJudge();

async function verdictOf(answer: string, contexts: EvalContext[] = chunks): Promise<{ grid: AttributionGrid; verdict: string }> {
  const grid = await judge.judge(decomposeClaims(answer), contexts);
  expect(grid.perClaim).toHaveLength(1);
  return { grid, verdict: grid.perClaim[0]!.verdict };
}

describe('offline judge', () => {
  it('is labelled a versioned heuristic', () => {
    expect(judge.kind).toBe('heuristic');
    expect(judge.version).toBe('offline-v1');
  });

  it('fills one cell per claim and chunk and names the supporting chunk with its evidence span', async () => {
    const claims = decomposeClaims('Poseidon was directed by Wolfgang Petersen. Rainfall was above average in January.');
    const grid = await judge.judge(claims, chunks);
    expect(grid.cells).toHaveLength(4);
    expect(grid.perClaim.map((p) => [p.verdict, p.bestChunkId])).toEqual([
      ['supported', 'poseidon'],
      ['supported', 'weather'],
    ]);
    const cell = grid.cells.find((c) => c.claimId === 'c1' && c.chunkId === 'poseidon')!;
    expect(cell.evidence!.text).toBe('Poseidon is a 2006 disaster film directed by Wolfgang Petersen.');
    expect(chunks[1]!.text.slice(cell.evidence!.start, cell.evidence!.end)).toBe(cell.evidence!.text);
    expect(grid.cells.find((c) => c.claimId === 'c1' && c.chunkId === 'weather')!.verdict).toBe('unsupported');
  });

  it('normalises money so "$181,674,817" matches "$ 181,674,817", and a different amount contradicts', async () => {
    expect((await verdictOf('Poseidon grossed $181,674,817 worldwide.')).verdict).toBe('supported');
    expect((await verdictOf('Poseidon grossed about $181.7 million worldwide.')).verdict).toBe('supported');
    const wrong = await verdictOf('Poseidon grossed $150 million worldwide.');
    expect(wrong.verdict).toBe('contradicted');
    expect(wrong.grid.cells.find((c) => c.chunkId === 'poseidon')!.reasons[0]).toMatch(/\$150 million.*181,674,817/);
  });

  it('finds an invented number or name unsupported', async () => {
    expect((await verdictOf('Poseidon won three Academy Awards.')).verdict).toBe('unsupported');
    const director = await verdictOf('Poseidon was directed by Steven Spielberg.');
    expect(director.verdict).toBe('unsupported');
    expect(director.grid.cells.find((c) => c.chunkId === 'poseidon')!.reasons.join(' ')).toMatch(/"Steven Spielberg" is not in the chunk/);
  });

  it('turns a negated or opposite claim into a contradiction', async () => {
    expect((await verdictOf('Poseidon was not directed by Wolfgang Petersen.')).verdict).toBe('contradicted');
    expect((await verdictOf('Sales of the DVD decreased in 2007.')).verdict).toBe('supported');
    expect((await verdictOf('Sales of the DVD increased in 2007.')).verdict).toBe('contradicted');
  });

  it('leaves every claim unsupported, with no chunk, when nothing was retrieved', async () => {
    const grid = await judge.judge(decomposeClaims('Poseidon grossed $181,674,817.'), []);
    expect(grid.cells).toEqual([]);
    expect(grid.perClaim).toEqual([{ claimId: 'c1', verdict: 'unsupported', bestChunkId: null, confidence: 1 }]);
  });

  it('judges a 3-claim answer over 8 chunks fast (an order-of-magnitude check; bench/eval-throughput measures)', async () => {
    const claims = decomposeClaims('Poseidon is a 2006 disaster film; it grossed $181,674,817, and the budget was $160 million.');
    expect(claims).toHaveLength(3);
    const eight = [...chunks, ...chunks, ...chunks, ...chunks].map((c, i) => ({ ...c, chunkId: `${c.chunkId}-${i}` }));
    await judge.judge(claims, eight);
    const started = performance.now();
    for (let i = 0; i < 20; i++) await judge.judge(claims, eight);
    expect((performance.now() - started) / 20).toBeLessThan(100);
  });
});
