import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import { buildRagPrompt, DEFAULT_RAG_SYSTEM_PROMPT } from './prompt-builder.ts';
import { parsePassages, parseQuestion } from './passage-format.ts';
import { retrievedChunks } from './retrieved-chunk.fixture.ts';

const tokenizer = getTokenizer();
const question = 'How is the virus transmitted between people?';
const paris = 'Paris is the capital of France. It lies on the Seine.';
const virus =
  'The virus spreads mainly through respiratory droplets. Close contact within two metres carries the highest risk. ' +
  'Surfaces play a smaller role than first thought. Ventilation reduces transmission indoors.';
const masks = 'Masks reduce the spread of respiratory droplets from infected people to others in shared rooms.';

/** Independent count: every message content plus 3 framing tokens each, plus 3 for the reply. */
function expectedTokens(contents: string[]): number {
  return contents.reduce((sum, c) => sum + tokenizer.count(c) + 3, 3);
}

describe('buildRagPrompt', () => {
  it('numbers passages in rank order with titles, system prompt first and the question last', () => {
    const chunks = retrievedChunks([
      { id: 'a', text: virus, title: 'Transmission' },
      { id: 'b', text: paris, title: 'Geography "101"' },
    ]);
    const history = [
      { role: 'user' as const, content: 'Hi' },
      { role: 'assistant' as const, content: 'Hello.' },
    ];
    // Given out of order: numbering follows rank, not argument order.
    const prompt = buildRagPrompt({ question, chunks: [chunks[1]!, chunks[0]!], budgetTokens: 4000, history });

    expect(prompt.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(prompt.messages[0]!.content).toBe(DEFAULT_RAG_SYSTEM_PROMPT);
    const user = prompt.messages[3]!.content;
    expect(user.endsWith(`Question: ${question}`)).toBe(true);
    expect(user.indexOf('<passage id="1" title="Transmission">')).toBeLessThan(user.indexOf('<passage id="2"'));
    expect(prompt.passages.map((p) => [p.n, p.chunkId, p.title, p.truncated])).toEqual([
      [1, 'a', 'Transmission', false],
      [2, 'b', 'Geography "101"', false],
    ]);
    expect(prompt.droppedChunks).toEqual([]);
    expect(prompt.promptTokens).toBe(expectedTokens(prompt.messages.map((m) => m.content)));
    // The answerer's fallback reads the same passages and question back out of the prompt.
    expect(parsePassages(user).map((p) => [p.n, p.title, p.text])).toEqual([
      [1, 'Transmission', virus],
      [2, 'Geography "101"', paris],
    ]);
    expect(parseQuestion(user)).toBe(question);
  });

  it('marks the stable prefixes for prompt caching: the system prompt and the end of the history, not the passages', () => {
    const chunks = retrievedChunks([{ id: 'a', text: virus }]);
    const history = [
      { role: 'user' as const, content: 'Hi' },
      { role: 'assistant' as const, content: 'Hello.' },
    ];
    const prompt = buildRagPrompt({ question, chunks, budgetTokens: 4000, history });
    expect(prompt.messages.map((m) => m.cacheBreakpoint === true)).toEqual([true, false, true, false]);
    // The caller's history is copied, not marked in place; the text is unchanged.
    expect(history[1]).toEqual({ role: 'assistant', content: 'Hello.' });
    expect(prompt.messages[2]).toEqual({ role: 'assistant', content: 'Hello.', cacheBreakpoint: true });

    const noHistory = buildRagPrompt({ question, chunks, budgetTokens: 4000 });
    expect(noHistory.messages.map((m) => [m.role, m.cacheBreakpoint === true])).toEqual([
      ['system', true],
      ['user', false],
    ]);
    // The mark changes no token count.
    expect(noHistory.promptTokens).toBe(expectedTokens(noHistory.messages.map((m) => m.content)));
  });

  it('instructs the model to stay in the passages, cite with [n] and abstain plainly', () => {
    expect(DEFAULT_RAG_SYSTEM_PROMPT).toMatch(/only the numbered passages/);
    expect(DEFAULT_RAG_SYSTEM_PROMPT).toMatch(/\[1\]/);
    expect(DEFAULT_RAG_SYSTEM_PROMPT).toMatch(/could not find an answer/);
  });

  it('drops a passage that does not fit and fills the budget exactly', () => {
    const two = retrievedChunks([{ id: 'a', text: virus }, { id: 'b', text: paris }]);
    const budget = buildRagPrompt({ question, chunks: two, budgetTokens: 4000 }).promptTokens;
    const three = retrievedChunks([{ id: 'a', text: virus }, { id: 'b', text: paris }, { id: 'c', text: masks }]);

    const prompt = buildRagPrompt({ question, chunks: three, budgetTokens: budget });
    expect(prompt.promptTokens).toBe(budget);
    expect(prompt.usedChunks.map((c) => c.chunk.id)).toEqual(['a', 'b']);
    expect(prompt.droppedChunks.map((c) => c.chunk.id)).toEqual(['c']);
    expect(prompt.truncatedChunkId).toBeNull();

    const roomier = buildRagPrompt({ question, chunks: three, budgetTokens: budget + 200 });
    expect(roomier.usedChunks.map((c) => c.chunk.id)).toEqual(['a', 'b', 'c']);
    expect(roomier.promptTokens).toBe(expectedTokens(roomier.messages.map((m) => m.content)));
    expect(roomier.promptTokens).toBeLessThanOrEqual(budget + 200);
  });

  it('truncates the last passage at a sentence boundary when the leading sentences are worth keeping', () => {
    const firstTwo = 'The virus spreads mainly through respiratory droplets. Close contact within two metres carries the highest risk.';
    const withPrefix = buildRagPrompt({
      question,
      chunks: retrievedChunks([{ id: 'b', text: paris }, { id: 'a', text: firstTwo, charStart: 100 }]),
      budgetTokens: 4000,
    });
    // Exactly enough for the first two sentences of the virus passage, not the third.
    const prompt = buildRagPrompt({
      question,
      chunks: retrievedChunks([{ id: 'b', text: paris }, { id: 'a', text: virus, charStart: 100 }]),
      budgetTokens: withPrefix.promptTokens,
    });
    expect(prompt.promptTokens).toBe(withPrefix.promptTokens);
    expect(prompt.truncatedChunkId).toBe('a');
    const cut = prompt.passages[1]!;
    expect(cut).toMatchObject({ n: 2, text: firstTwo, truncated: true, charStart: 100, charEnd: 100 + firstTwo.length });
    expect(prompt.droppedChunks).toEqual([]);
  });

  it('drops rather than truncates when the fitting part would be a useless fragment', () => {
    const fragmentFirst = 'Yes. ' + virus;
    const withFragment = buildRagPrompt({
      question,
      chunks: retrievedChunks([{ id: 'b', text: paris }, { id: 'a', text: 'Yes.' }]),
      budgetTokens: 4000,
    });
    // Room for "Yes." but not for the sentence after it: below MIN_TRUNCATED_PASSAGE_TOKENS, so dropped.
    const prompt = buildRagPrompt({
      question,
      chunks: retrievedChunks([{ id: 'b', text: paris }, { id: 'a', text: fragmentFirst }]),
      budgetTokens: withFragment.promptTokens + 5,
    });
    expect(prompt.usedChunks.map((c) => c.chunk.id)).toEqual(['b']);
    expect(prompt.droppedChunks.map((c) => c.chunk.id)).toEqual(['a']);
    expect(prompt.truncatedChunkId).toBeNull();
    expect(prompt.promptTokens).toBeLessThan(withFragment.promptTokens);
  });

  it('counts with the requested encoding', () => {
    const chunks = retrievedChunks([{ id: 'a', text: virus }]);
    const prompt = buildRagPrompt({ question, chunks, budgetTokens: 4000, encoding: 'cl100k_base' });
    const cl100k = getTokenizer('cl100k_base');
    expect(prompt.promptTokens).toBe(prompt.messages.reduce((sum, m) => sum + cl100k.count(m.content) + 3, 3));
  });

  it('refuses a budget that cannot hold even the instructions and question', () => {
    let error: unknown;
    try {
      buildRagPrompt({ question, chunks: retrievedChunks([{ id: 'a', text: virus }]), budgetTokens: 20 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlumbError);
    expect((error as PlumbError).code).toBe('bad_request');
    expect((error as PlumbError).hint).toMatch(/budgetTokens/);
  });
});
