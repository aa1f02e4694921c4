import { describe, expect, it } from 'vitest';
import type { ChatRequest, ChatStreamEvent, ContextPassage } from '../../core/model.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import { buildRagPrompt } from './prompt-builder.ts';
import { retrievedChunks } from './retrieved-chunk.fixture.ts';
import { ABSTENTION_TEXT, ExtractiveAnswerer, isAbstention } from './extractive-answerer.ts';

const transmission =
  'SARS-CoV-2 spreads mainly through respiratory droplets and aerosols produced when an infected person coughs, sneezes or talks [12]. ' +
  'Close contact within two metres carries the highest risk. Transmission through contaminated surfaces appears to play a minor role.';
const incubation =
  'The incubation period of COVID-19 is the time between exposure and the onset of symptoms. ' +
  'The median incubation period was estimated at 5.1 days, and 97.5% of patients develop symptoms within 11.5 days of infection. ' +
  'This supports a 14-day quarantine for exposed persons.';
const vaccines =
  'Several vaccines were authorised in late 2020. mRNA vaccines instruct cells to produce the spike protein, which trains the immune system. ' +
  'Two doses were given three weeks apart in the first trials.';

const chunks = retrievedChunks([
  { id: 'transmission', text: transmission, title: 'How the virus spreads' },
  { id: 'incubation', text: incubation, title: 'Incubation period' },
  { id: 'vaccines', text: vaccines, title: 'Vaccines' },
]);

function requestFor(question: string, options: { maxOutputTokens?: number } = {}): ChatRequest {
  const prompt = buildRagPrompt({ question, chunks, budgetTokens: 4000 });
  return { messages: prompt.messages, passages: prompt.passages, ...options };
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('ExtractiveAnswerer', () => {
  const model = new ExtractiveAnswerer();

  it('identifies itself as the offline extractive model', () => {
    expect([model.specificationVersion, model.provider, model.modelId]).toEqual(['v1', 'plumb-offline', 'extractive-v1']);
  });

  it('answers with the sentence that holds the answer, cited to its passage', async () => {
    const response = await model.generate(requestFor('How many days is the median incubation period?'));
    expect(response.text).toContain('The median incubation period was estimated at 5.1 days');
    expect(response.text).toMatch(/5\.1 days[^[]*\[2\]/);
    expect(response.text).not.toMatch(/\[1\]|\[3\]/);
    expect(isAbstention(response.text)).toBe(false);
    expect(response.finishReason).toBe('stop');
  });

  it('refuses a JSON response format as a bad request, in generate and stream alike, and ignores a text one', async () => {
    const json = { ...requestFor('How many days is the median incubation period?'), responseFormat: { type: 'json_object' as const } };
    await expect(model.generate(json)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(collect(model.stream(json))).rejects.toMatchObject({ code: 'bad_request' });
    const text = await model.generate({ ...json, responseFormat: { type: 'text' } });
    expect(text.text).toContain('5.1 days');
  });

  it("drops the passage's own reference markers so they cannot pass for citations", async () => {
    const response = await model.generate(requestFor('How does SARS-CoV-2 spread through respiratory droplets?'));
    expect(response.text).toContain('spreads mainly through respiratory droplets');
    expect(response.text).not.toContain('[12]');
    expect(response.text.match(/\[\d+\]/g)?.every((m) => m === '[1]')).toBe(true);
  });

  it('still answers a short question when one of its words has no match in the passages', async () => {
    // "virus" appears nowhere (the passage says "SARS-CoV-2"), "spread" does.
    const response = await model.generate(requestFor('How does the virus spread?'));
    expect(response.text).toMatch(/^SARS-CoV-2 spreads mainly through respiratory droplets.*\[1\]/);
  });

  it('abstains on a question the passages do not answer', async () => {
    const response = await model.generate(requestFor('Who won the football World Cup in 1998?'));
    expect(response.text).toBe(ABSTENTION_TEXT);
    expect(isAbstention(response.text)).toBe(true);
    expect(response.text).not.toMatch(/\[\d+\]/);
  });

  it('abstains when there are no passages at all', async () => {
    const response = await model.generate({ messages: [{ role: 'user', content: 'What is the incubation period?' }] });
    expect(response.text).toBe(ABSTENTION_TEXT);
  });

  it('never repeats a sentence that appears in two overlapping passages', async () => {
    const overlapping: ContextPassage[] = [
      { n: 1, chunkId: 'a', documentId: 'd', text: incubation },
      { n: 2, chunkId: 'b', documentId: 'd', text: `${incubation} Quarantine rules differ between countries and regions.` },
    ];
    const response = await model.generate({
      messages: [{ role: 'user', content: 'How many days is the median incubation period?' }],
      passages: overlapping,
    });
    const sentences = response.text.split(/(?<=\])\s+/);
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(response.text.match(/median incubation period/g)).toHaveLength(1);
  });

  it('reads the passages back out of the prompt when the request carries none', async () => {
    const withPassages = requestFor('How many days is the median incubation period?');
    const fromPrompt = await model.generate({ messages: withPassages.messages });
    expect(fromPrompt.text).toBe((await model.generate(withPassages)).text);
  });

  it('counts prompt and answer tokens with the real tokenizer, at zero cost', async () => {
    const question = 'How many days is the median incubation period?';
    const prompt = buildRagPrompt({ question, chunks, budgetTokens: 4000 });
    const response = await model.generate({ messages: prompt.messages, passages: prompt.passages });
    expect(response.usage.inputTokens).toBe(prompt.promptTokens);
    expect(response.usage.outputTokens).toBe(getTokenizer().count(response.text));
    expect(response.usage.outputTokens).toBeGreaterThan(0);
    expect(response.cost.usd).toBe(0);
  });

  it('stays within maxOutputTokens, cutting the best sentence and reporting length', async () => {
    const response = await model.generate(requestFor('How many days is the median incubation period?', { maxOutputTokens: 12 }));
    expect(response.usage.outputTokens).toBeLessThanOrEqual(12);
    expect(response.finishReason).toBe('length');
    expect(response.text).toMatch(/^The median incubation period.*… \[2\]$/);
  });

  it('streams word by word, concatenating to the generated text, then one finish event', async () => {
    const request = requestFor('How many days is the median incubation period?');
    const generated = await model.generate(request);
    const events = await collect(model.stream(request));
    const deltas = events.filter((e) => e.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.map((e) => (e.type === 'text-delta' ? e.text : '')).join('')).toBe(generated.text);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'finish', finishReason: 'stop', usage: generated.usage, provider: 'plumb-offline' });
    expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
  });

  it('stops when the request is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(model.generate({ ...requestFor('What is the incubation period?'), signal: controller.signal })).rejects.toThrow();
  });
});

describe('isAbstention', () => {
  it('recognises the canonical sentence and common paraphrases, not ordinary answers', () => {
    expect(isAbstention(ABSTENTION_TEXT)).toBe(true);
    expect(isAbstention('The passages do not contain information about the World Cup.')).toBe(true);
    expect(isAbstention("I don't know.")).toBe(true);
    expect(isAbstention('The median incubation period is 5.1 days [2].')).toBe(false);
    expect(isAbstention('Patients who could not find a doctor waited longer [1].')).toBe(false);
  });
});

describe('a sentence that quotes the question', () => {
  it('is not chosen over the sentence that answers it', async () => {
    const { quotesQuestion } = await import('./extractive-sentence-selector.ts');
    expect(quotesQuestion('Open the page and ask "How do I change the port?" to try it.', 'how do I change the port')).toBe(true);
    expect(quotesQuestion('To change the port, pass --port.', 'How do I change the port?')).toBe(false);
    const model = new ExtractiveAnswerer({ maxSentences: 1 });
    const response = await model.generate({
      messages: [{ role: 'user', content: 'How do I change the port?' }],
      passages: [
        { n: 1, chunkId: 'c1', documentId: 'd1', text: 'Open the web page and type a question such as "How do I change the port?" to try the demo.' },
        { n: 2, chunkId: 'c2', documentId: 'd2', text: 'To change the port, set the PORT variable or pass --port 9000 when you start the server.' },
      ],
    });
    expect(response.text).toContain('--port 9000');
    expect(response.text).not.toContain('type a question');
  });
});
