/** Answering: the budgeted RAG prompt, citations, and the answer functions. */
export { ABSTENTION_TEXT, isAbstention } from './abstention.ts';
export { answerQuestion, streamAnswer, type Answer, type AnswerQuestionInput, type AnswerStreamEvent } from './answer.ts';
export { countChatTokens } from './chat-tokens.ts';
export {
  extractCitations,
  parseCitationMarkers,
  stripCitationMarkers,
  type Citation,
  type CitationMarker,
  type ExtractedCitations,
} from './citations.ts';
export { parsePassages, parseQuestion, renderContextMessage, renderPassage } from './passage-format.ts';
export {
  buildRagPrompt,
  DEFAULT_RAG_SYSTEM_PROMPT,
  MIN_TRUNCATED_PASSAGE_TOKENS,
  type BuildRagPromptInput,
  type CitablePassage,
  type RagPrompt,
} from './prompt-builder.ts';
export { ExtractiveAnswerer } from './extractive-answerer.ts';
