import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../core/hash.ts';
import { extractJson, parseRubricOutput } from './json-output.ts';
import { RUBRICS, claimDecompositionRubric, claimSupportRubric, correctnessRubric, locate, renderRubric } from './rubrics.ts';

// A rubric's text decides its verdicts. If a test here fails because you edited a template, bump
// that rubric's version (and its `ref`) and pin the new hash under the new ref: cached judgements
// and stored calibrations of the old text must not be mistaken for the new one's.
const PINNED: Record<string, string> = {
  'claim-support@1': '03c6b413a10f211b',
  'claim-decomposition@1': '6c6561dc2c568d90',
  'correctness@1': '984e49fe161897c5',
  'answer-relevance@1': '1b9ae96c96d303cb',
};

describe('rubrics', () => {
  it('pins each template text to its version', () => {
    const actual = Object.fromEntries(RUBRICS.map((r) => [r.ref, sha256(JSON.stringify({ system: r.system, user: r.user })).slice(0, 16)]));
    expect(actual).toEqual(PINNED);
    for (const r of RUBRICS) expect(r.ref).toBe(`${r.id}@${r.version}`);
  });

  it('renders numbered passages and never re-substitutes placeholders found inside values', () => {
    const [system, user] = renderRubric(claimSupportRubric, { claim: 'Say {{passages}}', passages: ['alpha', 'beta'] });
    expect(system?.role).toBe('system');
    expect(user?.content).toBe('Claim: Say {{passages}}\n\nPassages:\n[1] alpha\n\n[2] beta');
  });

  it('reads JSON inside ```json fences and after a preamble', () => {
    expect(extractJson('```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('Sure! Here it is: {"a": 2} Hope that helps.')).toEqual({ ok: true, value: { a: 2 } });
    expect(extractJson('not json at all')).toMatchObject({ ok: false, error: expect.stringContaining('not valid JSON') });
    expect(extractJson('[1, 2]')).toMatchObject({ ok: false, error: expect.stringContaining('not an object') });
  });

  it('rejects a claim-support reply that skips or invents passages', () => {
    const input = { claim: 'x', passages: ['a', 'b'] };
    expect(parseRubricOutput(claimSupportRubric, input, '{"verdicts":[{"passage":1,"verdict":"supported","quote":"a"}]}')).toEqual({ ok: false, error: 'no verdict for passage 2' });
    expect(parseRubricOutput(claimSupportRubric, input, '{"verdicts":[{"passage":3,"verdict":"supported"}]}')).toMatchObject({ ok: false, error: expect.stringContaining('passage 3 does not exist') });
    const ok = parseRubricOutput(claimSupportRubric, input, '{"verdicts":[{"passage":1,"verdict":"Supported","quote":"a"},{"passage":"2","verdict":"unsupported"}]}');
    expect(ok).toEqual({ ok: true, value: { verdicts: [{ passage: 1, verdict: 'supported', quote: 'a' }, { passage: 2, verdict: 'unsupported', quote: '' }] } });
  });

  it('rejects out-of-range grades and decomposition sources not in the answer', () => {
    expect(parseRubricOutput(correctnessRubric, { question: 'q', answer: 'a', reference: 'r' }, '{"score": 7, "reason": "x"}')).toMatchObject({ ok: false, error: expect.stringContaining('score') });
    const bad = parseRubricOutput(claimDecompositionRubric, { answer: 'Paris is in France.' }, '{"claims":[{"claim":"Paris is in Spain","source":"Paris is in Spain"}]}');
    expect(bad).toMatchObject({ ok: false, error: expect.stringContaining('not verbatim') });
  });

  it('locates quotes exactly, then ignoring case and spacing', () => {
    expect(locate('The budget was $160 million.', '$160 million')).toEqual({ start: 15, end: 27 });
    expect(locate('The  budget\nwas high.', 'the budget was')).toEqual({ start: 0, end: 15 });
    expect(locate('abc', 'xyz')).toBeNull();
    expect(locate('abc', '  ')).toBeNull();
  });
});
