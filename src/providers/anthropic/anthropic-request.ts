/**
 * Our ChatRequest → the body of Anthropic's `POST /v1/messages`: system messages move to the
 * top-level `system`, tool calls become `tool_use` blocks, tool results become `tool_result`
 * blocks in a user turn, and consecutive turns of one role are merged (the API wants
 * user and assistant to alternate, with all results of one tool round in one user turn).
 *
 * Prompt caching: a message's `cacheBreakpoint` becomes `cache_control: { type: 'ephemeral' }`
 * on the content block that ends it — the system block for system messages, the message's last
 * block (text, tool_use or tool_result) otherwise — capped at the API's 4 breakpoints per request.
 * Without any breakpoint the body is exactly what it was before caching existed (system as a
 * plain string).
 */
import type { JsonObject } from '../../core/json.ts';
import type { ChatRequest, Message, ToolDefinition } from '../../core/model.ts';
import { refuseJsonResponseFormat } from '../../core/response-format.ts';

/** Anthropic's prompt-cache marker; 'ephemeral' (5 minutes) is the only type the API has. */
interface CacheControl {
  type: 'ephemeral';
}

type ContentBlock = (
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: JsonObject }
  | { type: 'tool_result'; tool_use_id: string; content: string }
) & { cache_control?: CacheControl };

type TextBlock = Extract<ContentBlock, { type: 'text' }>;

/** The most `cache_control` breakpoints one Messages request may carry (tools, system and messages together). */
export const MAX_CACHE_BREAKPOINTS = 4;

interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** The JSON body for a Messages API request. */
export function messagesRequestBody(request: ChatRequest, model: string, defaultMaxTokens: number, stream: boolean): Record<string, unknown> {
  refuseJsonResponseFormat(request, `Anthropic's Messages API (model ${model})`, 'Send JSON-mode requests to an OpenAI-compatible model, or ask for JSON in the prompt and drop response_format; to have Anthropic enforce a schema, give it a tool whose input schema is your schema and force it with tool_choice.');
  const hasTools = request.tools !== undefined && request.tools.length > 0;
  const toolChoice = hasTools ? toAnthropicToolChoice(request.toolChoice, request.parallelToolCalls) : undefined;
  const system = toAnthropicSystem(request.messages);
  const messages = toAnthropicMessages(request.messages);
  limitCacheBreakpoints([...(Array.isArray(system) ? system : []), ...messages.flatMap((turn) => turn.content)]);
  return {
    model,
    // Required by the API, unlike OpenAI's optional max_tokens.
    max_tokens: request.maxOutputTokens ?? defaultMaxTokens,
    ...(system === undefined ? {} : { system }),
    messages,
    ...(stream ? { stream: true } : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.stop === undefined || request.stop.length === 0 ? {} : { stop_sequences: request.stop }),
    ...(hasTools ? { tools: request.tools!.map(toAnthropicTool) } : {}),
    ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.endUser === undefined ? {} : { metadata: { user_id: request.endUser } }),
    // The Messages API has no seed, frequency/presence penalties or reasoning_effort: those are
    // sampling hints, left out here as OpenAI's reasoning models leave out temperature.
  };
}

/**
 * The system messages as Anthropic's top-level `system`: one string (joined by blank lines) when
 * none asks for a cache breakpoint, else text blocks — the system messages up to each breakpoint
 * joined into one block that carries `cache_control`, the rest in a final unmarked block.
 * Undefined when there is no system text.
 */
export function toAnthropicSystem(messages: Message[]): string | TextBlock[] | undefined {
  const systems = messages.filter((message) => message.role === 'system');
  if (!systems.some((message) => message.cacheBreakpoint === true)) {
    const joined = systems.map((message) => message.content).join('\n\n');
    return joined === '' ? undefined : joined;
  }
  const blocks: TextBlock[] = [];
  let pending: string[] = [];
  for (const message of systems) {
    // The API rejects empty text blocks.
    if (message.content !== '') pending.push(message.content);
    if (message.cacheBreakpoint === true && pending.length > 0) {
      blocks.push({ type: 'text', text: pending.join('\n\n'), cache_control: { type: 'ephemeral' } });
      pending = [];
    }
  }
  if (pending.length > 0) blocks.push({ type: 'text', text: pending.join('\n\n') });
  return blocks.length === 0 ? undefined : blocks;
}

/**
 * The non-system messages as alternating Anthropic turns of content blocks. A message's cache
 * breakpoint lands on the last block emitted so far — its own last block, or, for a message that
 * produced no block (empty text), the block before it, which ends the same prefix.
 */
export function toAnthropicMessages(messages: Message[]): AnthropicMessage[] {
  const turns: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = toBlocks(message);
    const previous = turns.at(-1);
    if (blocks.length > 0) {
      if (previous?.role === role) previous.content.push(...blocks);
      else turns.push({ role, content: blocks });
    }
    const last = turns.at(-1)?.content.at(-1);
    if (message.cacheBreakpoint === true && last !== undefined) last.cache_control = { type: 'ephemeral' };
  }
  return turns;
}

/**
 * Keeps at most MAX_CACHE_BREAKPOINTS of the marked blocks (given in prompt order): the first
 * and the last three. The first marks the prefix most widely shared (the system prompt, reused
 * by every conversation and question); the last ones mark the longest prefixes, which the next
 * request of the same conversation extends. The ones dropped sit in between, and a read at a later
 * breakpoint still finds a prefix cached earlier at their boundaries (the API looks back about 20
 * blocks from each breakpoint). The API would reject the whole request with more than four.
 */
function limitCacheBreakpoints(blocksInPromptOrder: ContentBlock[]): void {
  const marked = blocksInPromptOrder.filter((block) => block.cache_control !== undefined);
  if (marked.length <= MAX_CACHE_BREAKPOINTS) return;
  for (const block of marked.slice(1, marked.length - (MAX_CACHE_BREAKPOINTS - 1))) delete block.cache_control;
}

function toBlocks(message: Message): ContentBlock[] {
  if (message.role === 'tool') return [{ type: 'tool_result', tool_use_id: message.toolCallId ?? '', content: message.content }];
  // The API rejects empty text blocks; an assistant turn of only tool calls has none.
  const text: ContentBlock[] = message.content === '' ? [] : [{ type: 'text', text: message.content }];
  const toolUses: ContentBlock[] = (message.toolCalls ?? []).map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: parseToolInput(call.arguments) }));
  return [...text, ...toolUses];
}

/**
 * Anthropic takes tool input as an object, we carry it as JSON text. Text that is not a JSON
 * object (the model produced bad arguments, and the tool result already says so) is sent as {}
 * rather than failing the whole conversation.
 */
function parseToolInput(argumentsText: string): JsonObject {
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonObject) : {};
  } catch {
    return {};
  }
}

function toAnthropicTool(tool: ToolDefinition): Record<string, unknown> {
  return { name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), input_schema: tool.parameters };
}

/** Anthropic's tool_choice; `parallel: false` becomes `disable_parallel_tool_use` (not allowed with 'none'). */
function toAnthropicToolChoice(choice: ChatRequest['toolChoice'], parallel: boolean | undefined): Record<string, unknown> | undefined {
  const base = choice === undefined ? undefined : typeof choice === 'object' ? { type: 'tool', name: choice.name } : choice === 'required' ? { type: 'any' } : { type: choice };
  if (parallel !== false || base?.type === 'none') return base;
  return { ...(base ?? { type: 'auto' }), disable_parallel_tool_use: true };
}
