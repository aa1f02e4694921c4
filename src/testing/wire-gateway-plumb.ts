/**
 * Test helper: a real Plumb whose gateway alias `fast` points at a local OpenAI wire server that
 * answers "Hi." (10 prompt / 2 completion tokens) and refuses, with a 400, any request whose body
 * mentions "fail". `close()` stops both.
 */
import type { PlumbConfigInput } from '../config/schema.ts';
import type { Plumb } from '../plumb.ts';
import { startOpenAIWireServer } from '../providers/testing/index.ts';
import { tempPlumb } from './temp-plumb.ts';

export async function wireGatewayPlumb(config: PlumbConfigInput = {}): Promise<{ plumb: Plumb; close(): Promise<void> }> {
  const upstream = await startOpenAIWireServer((request) =>
    JSON.stringify(request.body).includes('fail')
      ? { type: 'error', status: 400, message: 'This request was refused.', errorType: 'invalid_request_error' }
      : { type: 'chat', text: 'Hi.', usage: { prompt_tokens: 10, completion_tokens: 2 } },
  );
  const { plumb } = await tempPlumb({
    embeddings: { provider: 'none' },
    gateway: { providers: { wire: { type: 'openai-compatible', baseUrl: upstream.baseURL, models: ['m'] } }, aliases: { fast: { provider: 'wire', model: 'm' } } },
    ...config,
  });
  return {
    plumb,
    close: async () => {
      await plumb.close();
      await upstream.close();
    },
  };
}
