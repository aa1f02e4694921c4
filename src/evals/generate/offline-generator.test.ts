import { describe, expect, it } from 'vitest';
import { documentIdFor } from '../../rag/pipeline/chunk-identity.ts';
import { generateOffline } from './offline-generator.ts';
import { QuestionDeduper } from './question-dedupe.ts';
import { questionFrom } from './question-transforms.ts';

const docs = [
  {
    source: '/corpus/acme.md',
    mimeType: 'text/markdown',
    text: [
      '# Acme',
      'Acme was founded in 1998 by two engineers in Lyon.',
      'The Acme index has 12 shards spread across three machines.',
      'Widgetry is a method of building small machines from spare parts.',
      'It is also very popular.',
      'Copyright 2024 Acme, all rights reserved.',
    ].join('\n\n'),
  },
  {
    source: '/corpus/fusion.md',
    mimeType: 'text/markdown',
    text: [
      'RRF stands for reciprocal rank fusion of several rankings.',
      'The default chunk size is 512 tokens with a small overlap.',
      'Hybrid retrieval combines BM25 with vector search for better recall.',
      'Hybrid retrieval combines BM25 with vector search for better recall.',
    ].join(' '),
  },
];

describe('questionFrom', () => {
  it('turns dates, counts, definitions and names into questions with answer spans', () => {
    expect(questionFrom('Acme was founded in 1998.')).toEqual({ question: 'When was Acme founded?', answer: '1998', transform: 'when' });
    expect(questionFrom('The index has 12 shards across the cluster.')).toMatchObject({ question: 'How many shards does the index have?', answer: '12 shards' });
    expect(questionFrom('SQLite is an embedded database that needs no server.')).toMatchObject({ question: 'What is SQLite?', answer: 'an embedded database that needs no server' });
    expect(questionFrom('plumb stores chunks in SQLite by default.')).toMatchObject({ question: 'plumb stores chunks in what by default?', answer: 'SQLite', transform: 'cloze' });
    expect(questionFrom('It is a tool.')).toBeNull();
  });
});

describe('generateOffline', () => {
  it('builds cases from salient sentences with the gold passage, answer span and ingest document id', () => {
    const cases = generateOffline({ documents: docs, count: 10, seed: 1 });
    const questions = cases.map((c) => c.question);
    expect(questions).toContain('When was Acme founded?');
    expect(questions).toContain('What does RRF stand for?');
    // boilerplate and sentences leaning on context give no question; the repeated sentence gives one.
    expect(questions.some((q) => /copyright|popular/i.test(q))).toBe(false);
    expect(questions.filter((q) => q.includes('Hybrid retrieval combines')).length).toBe(1);
    const acme = cases.find((c) => c.question === 'When was Acme founded?')!;
    expect(acme).toMatchObject({
      referenceAnswer: '1998',
      relevantDocumentIds: { [documentIdFor({ source: '/corpus/acme.md' })]: 1 },
      goldPassages: ['Acme was founded in 1998 by two engineers in Lyon.'],
      tags: ['synthetic', 'offline'],
    });
    for (const c of cases) expect(c.question.toLowerCase()).not.toContain(c.referenceAnswer!.toLowerCase());
  });

  it('is deterministic for a seed and spreads cases over documents', () => {
    const a = generateOffline({ documents: docs, count: 4, seed: 7 });
    expect(generateOffline({ documents: docs, count: 4, seed: 7 })).toEqual(a);
    expect(a).toHaveLength(4);
    const perDoc = new Map<string, number>();
    for (const c of a) for (const id of Object.keys(c.relevantDocumentIds!)) perDoc.set(id, (perDoc.get(id) ?? 0) + 1);
    expect([...perDoc.values()]).toEqual([2, 2]);
  });

  it('names chunk ids when given chunks', () => {
    const [c] = generateOffline({ documents: [{ documentId: 'd1', chunkId: 'c9', text: 'Acme was founded in 1998 by two engineers in Lyon.' }], count: 1 });
    expect(c).toMatchObject({ relevantDocumentIds: { d1: 1 }, relevantChunkIds: ['c9'] });
  });
});

describe('QuestionDeduper', () => {
  it('drops questions equal after normalisation or sharing most content terms', () => {
    const d = new QuestionDeduper();
    expect(d.add('What is the default chunk size?')).toBe(true);
    expect(d.add('what is the default chunk size')).toBe(false);
    expect(d.add('What is the chunk size by default?')).toBe(false);
    expect(d.add('What is the default overlap?')).toBe(true);
    expect(d.size).toBe(2);
  });
});
