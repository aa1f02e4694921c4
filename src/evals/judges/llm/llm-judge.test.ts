// The LLM judge against a real HTTP server speaking OpenAI's wire format, through plumb's own
// OpenAI-compatible provider, with a real SQLite store for the cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlumbError } from '../../../core/errors.ts';
import { createOpenAICompatibleChat } from '../../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer, type OpenAIWireScript, type OpenAIWireServer } from '../../../providers/testing/index.ts';
import { ExtractiveAnswerer } from '../../../rag/answer/extractive-answerer.ts';
import { SqliteStore } from '../../../store/index.ts';
import type { EvalContext } from '../../types.ts';
import type { Claim } from '../judge.ts';
import { createLlmJudge, type LlmJudgeOptions } from './llm-judge.ts';

let server: OpenAIWireServer | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await server?.close();
  await store?.close();
  server = undefined;
  store = undefined;
});

const contexts: EvalContext[] = [
  { chunkId: 'k1', documentId: 'd1', text: 'Poseidon grossed $181,674,817 at the worldwide box office.' },
  { chunkId: 'k2', documentId: 'd1', text: 'The film had a budget of $160 million.' },
];
const claims: Claim[] = [
  { id: 'c1', text: 'Poseidon grossed $181,674,817 worldwide.', sentenceIndex: 0, span: [0, 40] },
  { id: 'c2', text: 'The budget was $200 million.', sentenceIndex: 1, span: [41, 69] },
];

const chat = (json: unknown) => ({ type: 'chat' as const, text: typeof json === 'string' ? json : JSON.stringify(json) });
const verdicts = (...v: Array<[number, string, string?]>) => chat({ verdicts: v.map(([passage, verdict, quote]) => ({ passage, verdict, quote: quote ?? '' })) });

async function judgeWith(script: OpenAIWireScript, options: Partial<LlmJudgeOptions> = {}) {
  server = await startOpenAIWireServer(script);
  const model = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'judge-1', providerName: 'wire' });
  return createLlmJudge({ model, ...options });
}

function messagesOf(index: number): Array<{ role: string; content: string }> {
  return (server?.requests[index]?.body as { messages: Array<{ role: string; content: string }> }).messages;
}

describe('LLM support judge', () => {
  it('turns valid verdicts into a claim × chunk grid with evidence located in the chunk', async () => {
    const judge = await judgeWith([
      verdicts([1, 'supported', 'grossed $181,674,817 at the worldwide box office'], [2, 'unsupported']),
      chat('```json\n' + JSON.stringify({ verdicts: [{ passage: 1, verdict: 'unsupported', quote: '' }, { passage: 2, verdict: 'contradicted', quote: 'a budget of $160 million' }] }) + '\n```'),
    ]);
    const grid = await judge.judge(claims, contexts);

    expect(judge.kind).toBe('llm');
    expect(judge.version).toBe('llm-v1:wire/judge-1:claim-support@1+claim-decomposition@1+correctness@1+answer-relevance@1:n1:t0');
    expect(grid.undetermined).toEqual([]);
    expect(grid.cells.map((c) => [c.claimId, c.chunkId, c.verdict])).toEqual([
      ['c1', 'k1', 'supported'],
      ['c1', 'k2', 'unsupported'],
      ['c2', 'k1', 'unsupported'],
      ['c2', 'k2', 'contradicted'],
    ]);
    expect(grid.cells[3]?.evidence).toEqual({ text: 'a budget of $160 million', start: 13, end: 37 });
    expect(grid.perClaim).toEqual([
      { claimId: 'c1', verdict: 'supported', bestChunkId: 'k1', confidence: 1 },
      { claimId: 'c2', verdict: 'contradicted', bestChunkId: 'k2', confidence: 1 },
    ]);
    // The prompt names the claim and numbers every chunk.
    expect(messagesOf(0)[1]?.content).toContain('Claim: Poseidon grossed $181,674,817 worldwide.');
    expect(messagesOf(0)[1]?.content).toContain('[2] The film had a budget of $160 million.');
    expect(server?.requests[0]?.body).toMatchObject({ model: 'judge-1', temperature: 0 });
  });

  it('retries an invalid reply, telling the model what was wrong, and uses the valid one', async () => {
    const judge = await judgeWith([chat('Sure — the claim looks supported to me.'), verdicts([1, 'supported', 'Poseidon grossed'], [2, 'unsupported'])]);
    const grid = await judge.judge([claims[0]!], contexts);

    expect(grid.perClaim[0]).toMatchObject({ claimId: 'c1', verdict: 'supported' });
    expect(server?.requests).toHaveLength(2);
    const retry = messagesOf(1);
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: 'Sure — the claim looks supported to me.' });
    expect(retry.at(-1)?.content).toMatch(/^Your reply could not be used: the reply is not valid JSON/);
    expect(judge.stats()).toMatchObject({ modelCalls: 2, retries: 1, invalidReplies: 1, failedSamples: 0 });
  });

  it('sends a schema violation back to the model in words it can act on', async () => {
    const judge = await judgeWith([verdicts([1, 'supported', 'x']), verdicts([1, 'supported', 'Poseidon'], [2, 'unsupported'])]);
    await judge.judge([claims[0]!], contexts);
    expect(messagesOf(1).at(-1)?.content).toContain('no verdict for passage 2');
  });

  it('marks a claim undetermined, with the reason, when the reply is invalid three times', async () => {
    const judge = await judgeWith([chat('nope'), chat('{"verdicts": "all good"}'), chat('still not')]);
    const grid = await judge.judge([claims[0]!], contexts);

    expect(server?.requests).toHaveLength(3);
    expect(grid.cells).toEqual([]);
    expect(grid.perClaim).toEqual([]);
    expect(grid.undetermined.map((u) => u.chunkId)).toEqual(['k1', 'k2', null]);
    expect(grid.undetermined[0]?.reason).toMatch(/claim-support@1: the judge's reply was still invalid after 3 attempts: the reply is not valid JSON/);
    expect(judge.stats()).toMatchObject({ failedSamples: 1, invalidReplies: 3 });
  });

  it('marks a claim undetermined when the model call fails, without crashing the eval', async () => {
    const judge = await judgeWith([{ type: 'error', status: 500, message: 'overloaded', errorType: 'server_error' }]);
    const grid = await judge.judge([claims[0]!], contexts);
    expect(grid.perClaim).toEqual([]);
    expect(grid.undetermined.at(-1)?.reason).toMatch(/judge model call failed \(upstream_error\)/);
  });

  it('stops on a misconfigured model (401) instead of marking everything undetermined', async () => {
    const judge = await judgeWith([{ type: 'error', status: 401, message: 'Incorrect API key provided.', errorType: 'invalid_request_error' }]);
    await expect(judge.judge([claims[0]!], contexts)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('takes the majority of 3 samples and reports agreement 2/3', async () => {
    const judge = await judgeWith(
      [
        verdicts([1, 'supported', 'Poseidon grossed'], [2, 'unsupported']),
        verdicts([1, 'unsupported'], [2, 'unsupported']),
        verdicts([1, 'supported', 'worldwide box office'], [2, 'unsupported']),
      ],
      { samples: 3 },
    );
    const grid = await judge.judge([claims[0]!], contexts);

    const cell = grid.cells.find((c) => c.chunkId === 'k1');
    expect(cell).toMatchObject({ verdict: 'supported', samples: 3, evidence: { text: 'Poseidon grossed', start: 0, end: 16 } });
    expect(cell?.agreement).toBeCloseTo(0.67, 2);
    expect(cell?.reasons).toContain('2 of 3 samples agree');
    expect(grid.cells.find((c) => c.chunkId === 'k2')?.agreement).toBe(1);
    expect(grid.perClaim[0]).toMatchObject({ verdict: 'supported', bestChunkId: 'k1' });
    expect(grid.perClaim[0]?.confidence).toBeCloseTo(2 / 3, 6);
    // Several samples at temperature 0 would agree by construction.
    expect(server?.requests[0]?.body).toMatchObject({ temperature: 0.7 });
    expect(judge.version).toMatch(/:n3:t0\.7$/);
  });

  it('leaves a tie undetermined instead of breaking it', async () => {
    const judge = await judgeWith([verdicts([1, 'supported', 'Poseidon grossed'], [2, 'unsupported']), verdicts([1, 'unsupported'], [2, 'unsupported'])], { samples: 2 });
    const grid = await judge.judge([claims[0]!], contexts);

    expect(grid.cells.map((c) => c.chunkId)).toEqual(['k2']);
    expect(grid.undetermined[0]).toEqual({ claimId: 'c1', chunkId: 'k1', reason: 'samples tied 1× supported vs 1× unsupported' });
    expect(grid.perClaim).toEqual([]); // k1 might support it: "unsupported" cannot be claimed
  });

  it('judges a claim unsupported without calling the model when there are no chunks', async () => {
    const judge = await judgeWith([]);
    const grid = await judge.judge([claims[0]!], []);
    expect(grid.perClaim).toEqual([{ claimId: 'c1', verdict: 'unsupported', bestChunkId: null, confidence: 1 }]);
    expect(server?.requests).toHaveLength(0);
  });

  it('answers a repeated judgement from the store cache, with no HTTP request', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-judge-cache-'));
    store = SqliteStore.open({ path: path.join(dir, 'plumb.db') });
    const cache = { store, tenantId: 't1' };
    const first = await judgeWith([verdicts([1, 'supported', 'Poseidon grossed'], [2, 'unsupported'])], { cache });
    const before = await first.judge([claims[0]!], contexts);
    expect(server?.requests).toHaveLength(1);

    // A fresh judge (a re-run of the eval) with the same version and input.
    const again = createLlmJudge({ model: createOpenAICompatibleChat({ baseURL: server!.baseURL, model: 'judge-1', providerName: 'wire' }), cache });
    const after = await again.judge([claims[0]!], contexts);
    expect(server?.requests).toHaveLength(1);
    expect(after).toEqual(before);
    expect(again.stats()).toMatchObject({ cacheHits: 1, cacheMisses: 0, modelCalls: 0 });

    // Another tenant's cache is not ours.
    const other = createLlmJudge({ model: createOpenAICompatibleChat({ baseURL: server!.baseURL, model: 'judge-1', providerName: 'wire' }), cache: { store, tenantId: 't2' } });
    await other.judge([claims[0]!], contexts); // the script has no second reply: the call fails, undetermined
    expect(server?.requests).toHaveLength(2);
  });

  it('refuses the offline extractive answerer, which cannot judge', () => {
    const err = (() => {
      try {
        createLlmJudge({ model: new ExtractiveAnswerer() });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(PlumbError);
    expect(err).toMatchObject({ code: 'invalid_config', hint: expect.stringContaining('configure answer.provider') });
  });
});

describe('LLM correctness, relevance and decomposition', () => {
  it('maps a 1–5 correctness grade to [0, 1] with the reason and agreement as evidence', async () => {
    const judge = await judgeWith([chat({ score: 4, reason: 'Right city, no date.' })]);
    const score = await judge.judgeCorrectness({ question: 'Where?', answer: 'Paris', reference: 'Paris, in 1889' });
    expect(score).toMatchObject({ name: 'correctness', value: 0.75, method: 'llm', reason: '4/5: Right city, no date.', evidence: { rubric: 'correctness@1', score: 4, agreement: 1 } });
    expect(messagesOf(0)[1]?.content).toBe('Question: Where?\n\nReference answer: Paris, in 1889\n\nAnswer to grade: Paris');
  });

  it('gives an undetermined relevance (never a 0) when the samples split evenly', async () => {
    const judge = await judgeWith([chat({ score: 5, reason: 'direct' }), chat({ score: 1, reason: 'off topic' })], { samples: 2 });
    const score = await judge.judgeRelevance({ question: 'Where?', answer: 'Paris' });
    expect(score.value).toBeNull();
    expect(score).toMatchObject({ name: 'answer_relevance', method: 'llm', reason: expect.stringMatching(/tied/) });
  });

  it('gives an undetermined grade with the reason when every reply is invalid', async () => {
    const judge = await judgeWith([chat({ score: 9 }), chat({ score: 0 }), chat({ grade: 'A' })]);
    const score = await judge.judgeCorrectness({ question: 'q', answer: 'a', reference: 'r' });
    expect(score.value).toBeNull();
    expect(score.reason).toMatch(/correctness@1: the judge's reply was still invalid after 3 attempts/);
  });

  it('decomposes an answer into claims with spans located in the answer', async () => {
    const answer = 'Poseidon grossed $181 million. Its budget was $160 million.';
    const judge = await judgeWith([chat({ claims: [{ claim: 'Poseidon grossed $181 million.', source: 'Poseidon grossed $181 million.' }, { claim: "Poseidon's budget was $160 million.", source: 'Its budget was $160 million.' }] })]);
    const result = await judge.decompose(answer);
    expect(result.claims).toEqual([
      { id: 'c1', text: 'Poseidon grossed $181 million.', sentenceIndex: 0, span: [0, 30] },
      { id: 'c2', text: "Poseidon's budget was $160 million.", sentenceIndex: 1, span: [31, 59] },
    ]);
  });
});
