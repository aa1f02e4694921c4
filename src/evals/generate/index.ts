/** Synthetic golden sets for a corpus with no labels: offline (rule-based) or written by an LLM. */
export { toSourceTexts, type ChunkSource, type GenerationInput, type SourceText } from './generation-source.ts';
export { toGoldenJsonl } from './golden-jsonl.ts';
export { generateWithLlm, type LlmGenerationOptions, type LlmGenerationResult, type LlmGenerationStats } from './llm-generator.ts';
export { LLM_GENERATION_PROMPT_VERSION } from './llm-generation-prompt.ts';
export { parseGenerationReply, type GeneratedItem, type ParsedReply } from './llm-generation-reply.ts';
export { ANSWER_SUPPORT_THRESHOLD, checkItem, type ItemVerdict } from './llm-item-filter.ts';
export { generateOffline, OFFLINE_GENERATOR_VERSION, type OfflineGenerationOptions } from './offline-generator.ts';
export { DUPLICATE_COSINE, DUPLICATE_TERM_JACCARD, QuestionDeduper } from './question-dedupe.ts';
export { questionFrom, type GeneratedQuestion, type QuestionTransform } from './question-transforms.ts';
export { seededRandom, shuffled, type Random } from './seeded-random.ts';
export { salientSentences, type SalientSentence } from './sentence-salience.ts';
