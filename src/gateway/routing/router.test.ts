import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModel, ChatRequest, ChatStreamEvent, ContextPassage } from '../../core/model.ts';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer, type OpenAIWireServer } from '../../providers/testing/index.ts';
import { ledgerMiddleware } from '../ledger/index.ts';
import { composeChat } from '../middleware.ts';
import { assessComplexity, questionParts, questionTypeOf } from './complexity.ts';
import { createRouter, type RouterOptions } from './router.ts';
import { routerOptionsFromConfig, routingConfigSchema } from './routing-config-schema.ts';

let cheapServer: OpenAIWireServer;
let strongServer: OpenAIWireServer;
let targets: Record<string, ChatModel>;

beforeAll(async () => {
  const reply = (text: string) => () => ({ type: 'chat' as const, text, usage: { prompt_tokens: 10, completion_tokens: 2 } });
  cheapServer = await startOpenAIWireServer(reply('cheap answer'));
  strongServer = await startOpenAIWireServer(reply('strong answer'));
  targets = {
    mini: createOpenAICompatibleChat({ baseURL: cheapServer.baseURL, model: 'gpt-4o-mini', providerName: 'cheap-server' }),
    smart: createOpenAICompatibleChat({ baseURL: strongServer.baseURL, model: 'gpt-4o', providerName: 'strong-server' }),
    long: createOpenAICompatibleChat({ baseURL: strongServer.baseURL, model: 'gpt-4.1', providerName: 'strong-server' }),
  };
});
afterAll(async () => {
  await cheapServer.close();
  await strongServer.close();
});

const ask = (question: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'auto', messages: [{ role: 'user', content: question }], ...extra });
const options = (extra: Partial<RouterOptions> = {}): RouterOptions => ({ name: 'auto', targets, cheap: 'mini', strong: 'smart', threshold: 0.35, ...extra });
const lastBody = (server: OpenAIWireServer) => server.requests.at(-1)?.body as { model: string; stream?: boolean };

describe('complexity router against two real wire servers', () => {
  it('sends a factoid question to the cheap server and a reasoning one to the strong server, with the target model id', async () => {
    const router = createRouter(options());
    const before = { cheap: cheapServer.requests.length, strong: strongServer.requests.length };

    const easy = await router.generate(ask('Who discovered penicillin?'));
    expect(easy.text).toBe('cheap answer');
    expect(cheapServer.requests.length).toBe(before.cheap + 1);
    expect(lastBody(cheapServer).model).toBe('gpt-4o-mini'); // the router's own name "auto" is not forwarded
    expect(easy.metadata).toMatchObject({ route: 'mini', routeReason: 'complexity' });

    const hard = await router.generate(ask('Why does remdesivir reduce recovery time in hospitalised COVID-19 patients, and how does it compare with dexamethasone?'));
    expect(hard.text).toBe('strong answer');
    expect(strongServer.requests.length).toBe(before.strong + 1);
    expect(lastBody(strongServer).model).toBe('gpt-4o');
    expect(hard.metadata).toMatchObject({ route: 'smart', routeReason: 'complexity' });
    expect(hard.metadata?.['complexity']).toBeGreaterThanOrEqual(0.35);
    expect(easy.metadata?.['complexity']).toBeLessThan(0.35);
  });

  it('puts the route into the stream finish event', async () => {
    const router = createRouter(options());
    const events: ChatStreamEvent[] = [];
    for await (const event of router.stream(ask('Explain how mRNA vaccines train the immune system.'))) events.push(event);
    const finish = events.at(-1);
    expect(finish?.type).toBe('finish');
    expect(finish?.type === 'finish' && finish.metadata).toMatchObject({ route: 'smart', routeReason: 'complexity' });
    expect(lastBody(strongServer).stream).toBe(true);
  });

  it('books the route in the ledger row', async () => {
    const rows: Array<{ route: string; provider: string }> = [];
    const store = { appendLedgerEntry: async (row: { route: string; provider: string }) => void rows.push(row) };
    const model = composeChat(createRouter(options()), ledgerMiddleware({ store: store as never, defaultTenant: 'default' }));
    await model.generate(ask('When was the WHO founded?'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ route: 'mini', provider: 'cheap-server' });
  });
});

describe('rules', () => {
  it('first match wins, in order: tenant, tag, input tokens, tools, stream', async () => {
    const router = createRouter(
      options({
        rules: [
          { when: { tenant: 'acme' }, use: 'smart' },
          { when: { tag: ['judge', 'grader'] }, use: 'mini' },
          { when: { minInputTokens: 500 }, use: 'long' },
          { when: { tools: true }, use: 'smart' },
          { when: { stream: true, tag: 'chat' }, use: 'long' },
        ],
      }),
    );
    const hard = 'Why and how does the spike protein mutate, and what does that mean for vaccines?';
    // tenant beats tag (both match): rule 0
    expect(router.decide(ask('Who?', { tenantId: 'acme', tags: ['judge'] }))).toMatchObject({ target: 'smart', reason: 'rule', rule: 0 });
    // a judge call goes cheap however hard it looks
    expect(router.decide(ask(hard, { tags: ['judge'] }))).toMatchObject({ target: 'mini', rule: 1 });
    // long prompts go to the long-context model, even with tools (rule 2 precedes rule 3)
    const long = ask(`${'word '.repeat(600)} Who?`, { tools: [{ name: 'lookup', parameters: { type: 'object' } }] });
    expect(router.decide(long)).toMatchObject({ target: 'long', rule: 2 });
    expect(router.decide(ask('Who?', { tools: [{ name: 'lookup', parameters: { type: 'object' } }] }))).toMatchObject({ target: 'smart', rule: 3 });
    // an empty tools list is "no tools"
    expect(router.decide(ask('Who?', { tools: [] })).reason).toBe('complexity');
    // every condition of a `when` must hold
    expect(router.decide(ask('Who?', { tags: ['chat'] }), false).reason).toBe('complexity');
    expect(router.decide(ask('Who?', { tags: ['chat'] }), true)).toMatchObject({ target: 'long', rule: 4 });
    // the default tenant is matched when the request has none
    const byDefault = createRouter(options({ defaultTenant: 'internal', rules: [{ when: { tenant: 'internal' }, use: 'long' }] }));
    expect(byDefault.decide(ask('Who?'))).toMatchObject({ target: 'long' });

    const before = strongServer.requests.length;
    const response = await router.generate(ask('Who?', { tenantId: 'acme' }));
    expect(strongServer.requests.length).toBe(before + 1);
    expect(response.metadata).toMatchObject({ route: 'smart', routeReason: 'rule:0' });
    expect(response.metadata?.['complexity']).toBeUndefined();
  });

  it('rejects a target that does not resolve, naming the key', () => {
    expect(() => createRouter(options({ rules: [{ when: { tag: 'x' }, use: 'nope' }] }))).toThrow(/routing\.rules\[0\]\.use names "nope"/);
    expect(() => createRouter(options({ cheap: 'missing' }))).toThrow(/routing\.cheap/);
    expect(() => createRouter(options({ threshold: 2 }))).toThrow(/threshold/);
  });
});

describe('complexity score', () => {
  const passages = (...texts: string[]): ContextPassage[] => texts.map((text, i) => ({ n: i + 1, chunkId: `c${i}`, documentId: 'd', text }));

  it('is deterministic and in [0, 1]', () => {
    const request = ask('How do coronaviruses enter human cells, and why does ACE2 matter?', { passages: passages('ACE2 is the receptor.') });
    const first = assessComplexity(request);
    for (let i = 0; i < 5; i++) expect(assessComplexity(request)).toEqual(first);
    expect(first.score).toBeGreaterThanOrEqual(0);
    expect(first.score).toBeLessThanOrEqual(1);
    const router = createRouter(options());
    expect(new Set(Array.from({ length: 5 }, () => router.decide(request).target)).size).toBe(1);
  });

  it('reads question type, parts, and the question out of a RAG prompt', () => {
    expect(questionTypeOf('How many people died?')).toBe('factoid');
    expect(questionTypeOf('How does the virus spread?')).toBe('reasoning');
    expect(questionTypeOf('What is the difference between SARS and MERS?')).toBe('reasoning');
    expect(questionTypeOf('Is the vaccine safe?')).toBe('factoid');
    expect(questionTypeOf('What is ACE2?')).toBe('factoid');
    expect(questionParts('What is it? Where is it found?')).toBe(2);
    expect(questionParts('What is DC-SIGNR and where is it expressed')).toBe(2);
    const rag = assessComplexity(ask('<passages>\n<passage id="1">\nWhy is the sky blue?\n</passage>\n</passages>\n\nQuestion: Who wrote it?'));
    expect(rag.question).toBe('Who wrote it?');
    expect(rag.questionType).toBe('factoid');
  });

  it('scores a question lower when a passage clearly covers it', () => {
    const question = 'What protein does SARS-CoV-2 use to bind the ACE2 receptor?';
    const covered = assessComplexity(ask(question, { passages: passages('SARS-CoV-2 uses its spike protein to bind the ACE2 receptor.', 'Unrelated text.') }));
    const uncovered = assessComplexity(ask(question, { passages: passages('Influenza spreads in winter.', 'Unrelated text.') }));
    expect(covered.features.retrieval).toBeLessThan(0.2);
    expect(uncovered.features.retrieval).toBeGreaterThan(0.8);
    expect(covered.score).toBeLessThan(uncovered.score);
    expect(assessComplexity(ask(question)).features.retrieval).toBeUndefined();
  });
});

describe('routing config schema', () => {
  it('parses the documented shape with defaults and builds a working router', () => {
    const config = routingConfigSchema.parse({ cheap: 'mini', strong: 'smart', rules: [{ when: { tag: 'judge' }, use: 'mini' }, { when: { tenant: ['a', 'b'], minInputTokens: 1000 }, use: 'long' }] });
    expect(config).toMatchObject({ name: 'auto', threshold: 0.35 });
    const router = createRouter(routerOptionsFromConfig(config, (name) => targets[name]));
    expect(router.modelId).toBe('auto');
    expect(router.decide(ask('Why?', { tags: ['judge'] })).target).toBe('mini');
  });

  it('rejects unknown keys and bad values with the path', () => {
    const bad = routingConfigSchema.safeParse({ cheap: 'mini', strong: 'smart', threshold: 1.5, rules: [{ when: { tenants: 'x' }, use: 'mini' }] });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('threshold');
    expect(paths).toContain('rules.0.when');
  });
});
