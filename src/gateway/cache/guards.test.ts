import { describe, expect, it } from 'vitest';
import { guardFlags } from './guards.ts';
import { fitLogistic, logisticScore } from './logistic-model.ts';

describe('semantic cache guards', () => {
  it('flag different numbers, named entities and negation, and pass paraphrases', () => {
    expect(guardFlags('What happened in 2002?', 'What happened in 1992?').numbers).toBe(true);
    expect(guardFlags('Which is the best laptop below 40k?', 'Which is the best laptop under 40k?')).toEqual({ numbers: false, entities: false, negation: false, question: false });
    expect(guardFlags('Is Hulu available in India?', 'Is Hulu available in Canada?').entities).toBe(true);
    expect(guardFlags('Why can I sleep at night?', "Why can't I sleep at night?").negation).toBe(true);
  });

  it('flag the same question with a question word that asks for something else', () => {
    expect(guardFlags('Why does cellular respiration occur?', 'How does cellular respiration occur?').question).toBe(true);
    expect(guardFlags('How did the universe begin?', 'When did the universe begin?').question).toBe(true);
    // "which" asks what "what" asks; other differences are for the verifier, not this guard.
    expect(guardFlags('What is the best party hire company?', 'Which is the best party hire company?').question).toBe(false);
    expect(guardFlags('Why does it occur?', 'How does it happen?').question).toBe(false);
    expect(guardFlags('How do I reset my password?', 'How do I reset my password?').question).toBe(false);
  });
});

describe('logistic model', () => {
  it('learns a separable rule and scores by it', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [i / 200, (i * 7) % 3]);
    const labels = rows.map((r) => r[0]! > 0.5);
    const model = fitLogistic(['x', 'noise'], rows, labels);
    expect(logisticScore(model, [0.95, 1])).toBeGreaterThan(0.9);
    expect(logisticScore(model, [0.05, 1])).toBeLessThan(0.1);
  });
});
