/** A chat model for Anthropic's Messages API. */
export { ANTHROPIC_VERSION, createAnthropicChat } from './chat.ts';
export type { AnthropicChatOptions } from './chat.ts';
