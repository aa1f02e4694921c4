/**
 * Our ChatRequest → the body of Anthropic's `POST /v1/messages`: system messages move to the
 * top-level `system`, tool calls become `tool_use` blocks, tool results become `tool_result`
 * blocks in a user turn, and consecutive turns of one role are merged (the API wants
 * user and assistant to alternate, with all results of one tool round in one user turn).
 */
import type { JsonObject } from '../../core/json.ts';
import type { ChatRequest, Message, ToolDefinition } from '../../core/model.ts';

type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: JsonObject }
  | { type: 'tool_result'; tool_use_id: string; content: string };

interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** The JSON body for a Messages API request. */
export function messagesRequestBody(request: ChatRequest, model: string, defaultMaxTokens: number, stream: boolean): Record<string, unknown> {
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
  return {
    model,
    // Required by the API, unlike OpenAI's optional max_tokens.
    max_tokens: request.maxOutputTokens ?? defaultMaxTokens,
    ...(system === '' ? {} : { system }),
    messages: toAnthropicMessages(request.messages),
    ...(stream ? { stream: true } : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.stop === undefined || request.stop.length === 0 ? {} : { stop_sequences: request.stop }),
    ...(request.tools === undefined || request.tools.length === 0 ? {} : { tools: request.tools.map(toAnthropicTool) }),
    ...(request.toolChoice === undefined ? {} : { tool_choice: toAnthropicToolChoice(request.toolChoice) }),
  };
}

/** The non-system messages as alternating Anthropic turns of content blocks. */
export function toAnthropicMessages(messages: Message[]): AnthropicMessage[] {
  const turns: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = toBlocks(message);
    if (blocks.length === 0) continue;
    const previous = turns.at(-1);
    if (previous?.role === role) previous.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  return turns;
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

function toAnthropicToolChoice(choice: NonNullable<ChatRequest['toolChoice']>): Record<string, unknown> {
  if (typeof choice === 'object') return { type: 'tool', name: choice.name };
  if (choice === 'required') return { type: 'any' };
  return { type: choice }; // 'auto' | 'none'
}
