import { describe, expect, it } from 'vitest';
import type { GoldenCase } from '../types.ts';
import { canonicalJson } from './canonical-json.ts';
import { contentHashOf } from './golden-content-hash.ts';
import { parseGoldenCase } from './golden-case-schema.ts';

const cases: GoldenCase[] = [
  { id: 'q1', question: 'What is BM25?', referenceAnswer: 'A ranking function.', relevantDocumentIds: { d1: 2, d2: 1 }, tags: ['a'] },
  { id: 'q2', question: 'Who?', goldPassages: ['x'], metadata: { nested: { b: 1, a: [1, 2] } } },
];

describe('contentHashOf', () => {
  it('is a sha256 hex digest, the same for the same data in any order', () => {
    const hash = contentHashOf(cases);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHashOf(structuredClone(cases))).toBe(hash);
    expect(contentHashOf([...cases].reverse())).toBe(hash);
    const reordered: GoldenCase[] = [
      { tags: ['a'], relevantDocumentIds: { d2: 1, d1: 2 }, referenceAnswer: 'A ranking function.', question: 'What is BM25?', id: 'q1' },
      { metadata: { nested: { a: [1, 2], b: 1 } }, goldPassages: ['x'], question: 'Who?', id: 'q2' },
    ];
    expect(contentHashOf(reordered)).toBe(hash);
  });

  it('names the data, not its spelling: snake_case input hashes like camelCase', () => {
    const snake = parseGoldenCase({ id: 'q1', question: 'What is BM25?', reference_answer: 'A ranking function.', relevant_doc_ids: { d1: 2, d2: 1 }, tags: ['a'] });
    expect(snake.ok && contentHashOf([snake.value, cases[1]!])).toBe(contentHashOf(cases));
  });

  it('changes with any change to any field', () => {
    const hash = contentHashOf(cases);
    const variants: GoldenCase[][] = [
      [{ ...cases[0]!, question: 'What is BM25 ?' }, cases[1]!],
      [{ ...cases[0]!, relevantDocumentIds: { d1: 1, d2: 1 } }, cases[1]!],
      [{ ...cases[0]!, tags: ['a', 'b'] }, cases[1]!],
      [{ ...cases[0]!, unanswerable: false }, cases[1]!],
      [cases[0]!, { ...cases[1]!, metadata: { nested: { b: 1, a: [2, 1] } } }],
      [cases[0]!],
      [cases[0]!, cases[1]!, { id: 'q3', question: 'new' }],
    ];
    const hashes = new Set(variants.map(contentHashOf));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(hash)).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('refuses non-finite numbers rather than hashing them as null', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
  });
});
