/**
 * Our ChatRequest → the body of `POST /chat/completions`. Only fields every OpenAI-compatible
 * server understands are sent, and only when set, because strict servers reject unknown or
 * null fields.
 */
import type { ChatRequest, Message, ToolDefinition } from '../../core/model.ts';

export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/** The JSON body for a chat completion request. */
export function chatCompletionRequestBody(request: ChatRequest, model: string, stream: boolean, maxTokensField: MaxTokensField): Record<string, unknown> {
  return {
    model,
    messages: request.messages.map(toOpenAIMessage),
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxOutputTokens === undefined ? {} : { [maxTokensField]: request.maxOutputTokens }),
    ...(request.stop === undefined || request.stop.length === 0 ? {} : { stop: request.stop }),
    ...(request.tools === undefined || request.tools.length === 0 ? {} : { tools: request.tools.map(toOpenAITool) }),
    ...(request.toolChoice === undefined ? {} : { tool_choice: toOpenAIToolChoice(request.toolChoice) }),
    ...(request.parallelToolCalls === undefined || !request.tools?.length ? {} : { parallel_tool_calls: request.parallelToolCalls }),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.frequencyPenalty === undefined ? {} : { frequency_penalty: request.frequencyPenalty }),
    ...(request.presencePenalty === undefined ? {} : { presence_penalty: request.presencePenalty }),
    ...(request.responseFormat === undefined ? {} : { response_format: toOpenAIResponseFormat(request.responseFormat) }),
    ...(request.reasoningEffort === undefined ? {} : { reasoning_effort: request.reasoningEffort }),
    ...(request.endUser === undefined ? {} : { user: request.endUser }),
  };
}

function toOpenAIResponseFormat(format: NonNullable<ChatRequest['responseFormat']>): Record<string, unknown> {
  if (format.type !== 'json_schema') return { type: format.type };
  const { name, schema, description, strict } = format;
  return { type: 'json_schema', json_schema: { name, ...(description === undefined ? {} : { description }), ...(schema === undefined ? {} : { schema }), ...(strict === undefined ? {} : { strict }) } };
}

/** One message in OpenAI's shape: tool calls on assistant messages, `tool_call_id` on tool results. */
export function toOpenAIMessage(message: Message): Record<string, unknown> {
  const name = message.name === undefined ? {} : { name: message.name };
  switch (message.role) {
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: 'assistant', content: message.content, ...name };
      return {
        role: 'assistant',
        // OpenAI wants null, not "", next to tool calls.
        content: message.content === '' ? null : message.content,
        tool_calls: toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
        ...name,
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content };
    default:
      return { role: message.role, content: message.content, ...name };
  }
}

function toOpenAITool(tool: ToolDefinition): Record<string, unknown> {
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.parameters,
    },
  };
}

function toOpenAIToolChoice(choice: NonNullable<ChatRequest['toolChoice']>): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}
