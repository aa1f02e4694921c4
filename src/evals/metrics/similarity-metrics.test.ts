import { describe, expect, it } from 'vitest';
import { ABSTENTION_TEXT } from '../../rag/answer/abstention.ts';
import { answerRelevance } from './answer-relevance.ts';
import { semanticSimilarity } from './semantic-similarity.ts';
import { rescaleCosine, SIF_UNRELATED_COSINE } from './sif-similarity.ts';

describe('rescaleCosine', () => {
  it('maps the unrelated baseline to 0 and identity to 1, linearly between', () => {
    expect(rescaleCosine(SIF_UNRELATED_COSINE)).toBe(0);
    expect(rescaleCosine(0.1)).toBe(0);
    expect(rescaleCosine(1)).toBe(1);
    expect(rescaleCosine(0.695)).toBeCloseTo(0.5, 10);
  });
});

describe('semanticSimilarity', () => {
  it('is 1 for the same text, higher for a paraphrase than for an unrelated sentence', async () => {
    expect((await semanticSimilarity('The tower was built in 1889.', 'The tower was built in 1889.')).value).toBeCloseTo(1, 5);
    const paraphrase = await semanticSimilarity('The children caught the virus at school.', 'Kids were infected with the virus in school.');
    const unrelated = await semanticSimilarity('The children caught the virus at school.', 'Configure the HTTP port in the YAML file.');
    expect(paraphrase.value!).toBeGreaterThan(unrelated.value! + 0.2);
    expect(paraphrase).toMatchObject({ method: 'heuristic', evidence: { baseline: SIF_UNRELATED_COSINE } });
  });

  it('is undetermined without a reference or when no word has a vector', async () => {
    expect((await semanticSimilarity('Paris', [])).value).toBeNull();
    expect(await semanticSimilarity('1889', '1889')).toMatchObject({ value: null, reason: expect.stringContaining('knows no word') });
  });
});

describe('answerRelevance', () => {
  it('scores an answer about the question above one about something else', async () => {
    const question = 'When was the Eiffel Tower built?';
    const onTopic = await answerRelevance(question, 'The Eiffel Tower was built in 1889 [1].');
    const offTopic = await answerRelevance(question, 'Bananas are rich in potassium.');
    expect(onTopic.evidence).toMatchObject({ coverage: 1 });
    expect(offTopic.evidence).toMatchObject({ coverage: 0 });
    expect(onTopic.value!).toBeGreaterThan(offTopic.value! + 0.4);
  });

  it('is undetermined for an abstention, not 0', async () => {
    expect(await answerRelevance('When was it built?', ABSTENTION_TEXT)).toMatchObject({ value: null, reason: expect.stringContaining('abstained') });
  });
});
