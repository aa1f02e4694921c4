/** Local servers that speak real provider wire formats, for tests of anything that calls a model over HTTP. */
export { startWireServer } from './wire-server.ts';
export type { RecordedRequest, WireEvent, WireHandler, WireReply, WireServer } from './wire-server.ts';
export { startOpenAIWireServer } from './openai-wire-server.ts';
export type {
  OpenAIChatReply,
  OpenAIEmbeddingsReply,
  OpenAIErrorReply,
  OpenAIUsageReply,
  OpenAIWireReply,
  OpenAIWireScript,
  OpenAIWireServer,
  OpenAIWireServerOptions,
} from './openai-wire-server.ts';
export { startAnthropicWireServer } from './anthropic-wire-server.ts';
export type {
  AnthropicErrorReply,
  AnthropicMessageReply,
  AnthropicUsageReply,
  AnthropicWireReply,
  AnthropicWireScript,
  AnthropicWireServer,
  AnthropicWireServerOptions,
} from './anthropic-wire-server.ts';
export { vectorFromText } from './openai-wire-format.ts';
export { collectEvents, streamText } from './stream-events.ts';
