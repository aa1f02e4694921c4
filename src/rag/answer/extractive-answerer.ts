/**
 * The offline answerer: plumb's default ChatModel when no LLM is configured.
 *
 * It is a sentence selector, not a generator. It copies the passage sentences that share the most
 * (IDF-weighted, stemmed) words with the question, each followed by its `[n]` citation, and when
 * no sentence covers enough of the question it abstains with ABSTENTION_TEXT. It cannot
 * synthesise across sentences, compute, paraphrase, follow instructions or hold a conversation;
 * it ignores history, tools and sampling options, and refuses a JSON response format. Its value is an honest, cited, zero-cost baseline
 * that runs anywhere, and a floor that an LLM configuration has to beat.
 */
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent, ContextPassage, FinishReason } from '../../core/model.ts';
import { getTokenizer, type TokenEncoding, type Tokenizer } from '../../core/tokenizer.ts';
import { refuseJsonResponseFormat } from '../../core/response-format.ts';
import { ZERO_COST } from '../../core/usage.ts';
import { ABSTENTION_TEXT, isAbstention } from './abstention.ts';
import { countChatTokens } from './chat-tokens.ts';
import { parsePassages, parseQuestion } from './passage-format.ts';
import {
  DEFAULT_SELECTION,
  renderCited,
  selectSentences,
  type Selection,
  type SelectionOptions,
} from './extractive-sentence-selector.ts';

export { ABSTENTION_TEXT, isAbstention };

export interface ExtractiveAnswererOptions extends Partial<SelectionOptions> {
  encoding?: TokenEncoding;
}

/** A ChatModel that answers by selecting and citing passage sentences; see the file comment. */
export class ExtractiveAnswerer implements ChatModel {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'plumb-offline';
  readonly modelId = 'extractive-v1';
  private readonly tokenizer: Tokenizer;
  private readonly selection: SelectionOptions;

  constructor(options: ExtractiveAnswererOptions = {}) {
    const { encoding, ...selection } = options;
    this.tokenizer = getTokenizer(encoding);
    this.selection = { ...DEFAULT_SELECTION, ...definedOnly(selection) };
  }

  /** Selects the answer sentences; never throws for lack of an answer, it abstains instead. */
  async generate(request: ChatRequest): Promise<ChatResponse> {
    request.signal?.throwIfAborted();
    refuseJsonResponseFormat(request, 'the offline extractive answerer', 'It answers in cited sentences only: configure an LLM (answer.provider, or a gateway alias) for JSON answers.');
    const { text, finishReason } = this.answer(request);
    return {
      text,
      toolCalls: [],
      finishReason,
      usage: {
        inputTokens: countChatTokens(request.messages, this.tokenizer),
        outputTokens: this.tokenizer.count(text),
      },
      cost: { ...ZERO_COST },
      model: this.modelId,
      provider: this.provider,
    };
  }

  /** The same answer as `generate`, delivered word by word. */
  async *stream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
    const response = await this.generate(request);
    for (const word of response.text.match(/\S+\s*/g) ?? []) {
      request.signal?.throwIfAborted();
      yield { type: 'text-delta', text: word };
    }
    yield {
      type: 'finish',
      finishReason: response.finishReason,
      usage: response.usage,
      cost: response.cost,
      model: response.model,
      provider: response.provider,
    };
  }

  /** The selection behind an answer, for diagnostics and benchmarks. */
  select(request: ChatRequest): Selection {
    const lastUser = request.messages.findLast((m) => m.role === 'user');
    const question = parseQuestion(lastUser?.content ?? '');
    const options = { ...this.selection, ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }) };
    return selectSentences(question, passagesOf(request), this.tokenizer, options);
  }

  private answer(request: ChatRequest): { text: string; finishReason: FinishReason } {
    const selection = this.select(request);
    if (selection.sentences.length === 0) return { text: ABSTENTION_TEXT, finishReason: 'stop' };
    const budget = request.maxOutputTokens ?? this.selection.maxOutputTokens;
    const sentences = [...selection.sentences];
    let text = sentences.map(renderCited).join(' ');
    // Sentences were costed one by one; drop the weakest if the joined text came out over.
    while (sentences.length > 1 && this.tokenizer.count(text) > budget) {
      const weakest = sentences.reduce((w, s) => (s.score < w.score ? s : w));
      sentences.splice(sentences.indexOf(weakest), 1);
      text = sentences.map(renderCited).join(' ');
    }
    return { text, finishReason: selection.truncated ? 'length' : 'stop' };
  }
}

/** The request's passages, or those written into its messages by the RAG prompt builder. */
function passagesOf(request: ChatRequest): ContextPassage[] {
  if (request.passages) return request.passages;
  for (const message of [...request.messages].reverse()) {
    const parsed = parsePassages(message.content);
    if (parsed.length > 0) return parsed;
  }
  return [];
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
