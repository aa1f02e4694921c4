/** Chat and embedding models for servers speaking OpenAI's API: OpenAI, Ollama, vLLM, llama.cpp, Groq, LM Studio. */
export { createOpenAICompatibleChat, providerNameFor } from './chat.ts';
export type { OpenAICompatibleChatOptions } from './chat.ts';
export { createOpenAICompatibleEmbeddings } from './embeddings.ts';
export type { OpenAICompatibleEmbeddingsOptions } from './embeddings.ts';
export type { MaxTokensField } from './openai-request.ts';
