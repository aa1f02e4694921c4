/**
 * `plumb eval generate`: a synthetic golden set from a corpus, for a user with no labels. Offline
 * by default (rule-based questions from salient sentences); `--llm` has the configured answer
 * model write them. Writes one GoldenCase per line.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { DocumentInput } from '../../core/document.ts';
import { PlumbError } from '../../core/errors.ts';
import type { GoldenCase } from '../../evals/types.ts';
import type { LlmGenerationStats } from '../../evals/generate/llm-generator.ts';
import { emit, intOption, type GlobalOptions } from '../output.ts';

interface GenerateFlags { corpus: string[]; out: string; count: number; seed: number; llm?: boolean }

/** Adds `generate` under the `eval` command. */
export function registerGenerateCommand(evalCommand: Command, globals: () => GlobalOptions): void {
  evalCommand
    .command('generate')
    .description('write a synthetic golden set (JSONL) from a corpus: offline by default, --llm to use the configured answer model')
    .requiredOption('--corpus <path...>', 'files or folders to generate questions from')
    .requiredOption('--out <file>', 'where to write the golden set (JSONL, one case per line)')
    .option('--count <n>', 'how many cases at most', intOption('count', 1, 100_000), 50)
    .option('--seed <n>', 'seed for which sentences and chunks are picked', intOption('seed', 0, 2 ** 31 - 1), 1)
    .option('--llm', 'have the configured answer model (answer.provider) write the questions')
    .action(async (flags: GenerateFlags) => {
      const g = globals();
      const { documents, skipped } = await loadCorpus(flags.corpus);
      if (documents.length === 0) {
        throw new PlumbError('bad_request', `no documents could be loaded from ${flags.corpus.join(', ')}`, {
          hint: 'pass folders or files of a supported type (Markdown, HTML, PDF, text, JSON/JSONL)',
          details: { skipped: skipped.slice(0, 5) },
        });
      }
      const started = performance.now();
      let cases: GoldenCase[];
      let stats: LlmGenerationStats | undefined;
      if (flags.llm) {
        const model = await configuredLlm(g);
        const { generateWithLlm } = await import('../../evals/generate/llm-generator.ts');
        ({ cases, stats } = await generateWithLlm({ model, documents, count: flags.count, seed: flags.seed }));
      } else {
        const { generateOffline } = await import('../../evals/generate/offline-generator.ts');
        cases = generateOffline({ documents, count: flags.count, seed: flags.seed });
      }
      if (cases.length === 0) {
        throw new PlumbError('bad_request', 'the corpus gave no usable question', { hint: flags.llm ? 'check the model replies with --json stats, or try without --llm' : 'the offline generator needs prose sentences; try --llm' });
      }
      fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
      const { toGoldenJsonl } = await import('../../evals/generate/golden-jsonl.ts');
      fs.writeFileSync(flags.out, toGoldenJsonl(cases));

      const mode = flags.llm ? 'llm' : 'offline';
      const out = { out: flags.out, cases: cases.length, requested: flags.count, documents: documents.length, mode, seed: flags.seed, ms: Math.round(performance.now() - started), skippedFiles: skipped.length, ...(stats ? { stats } : {}) };
      emit(g, out, () =>
        [
          `wrote ${cases.length} ${mode} case(s) from ${documents.length} document(s) to ${flags.out}`,
          ...(cases.length < flags.count ? [`(asked for ${flags.count}; the corpus gave only ${cases.length} usable questions)`] : []),
          ...cases.slice(0, 3).map((c) => `  e.g. ${c.question}  →  ${c.referenceAnswer ?? ''}`),
        ].join('\n'),
      );
    });
}

async function loadCorpus(paths: string[]): Promise<{ documents: DocumentInput[]; skipped: Array<{ path: string; message: string }> }> {
  const { discoverFiles, loadFile } = await import('../../rag/ingest/index.ts');
  const discovered = await discoverFiles(paths);
  const skipped = discovered.skipped.map((s) => ({ path: s.path, message: s.message }));
  const documents: DocumentInput[] = [];
  for (const file of discovered.files) {
    const loaded = await loadFile(file.path);
    if (loaded.ok) documents.push(...loaded.documents);
    else skipped.push({ path: file.path, message: loaded.message });
  }
  return { documents, skipped };
}

/** The configured answer model, refused when it is the offline extractive one (it cannot write questions). */
async function configuredLlm(g: GlobalOptions) {
  // Only the model is needed: no store is opened for this.
  const [{ createChatModel }, { loadConfig }] = await Promise.all([import('../../app.ts'), import('../../config/load-config.ts')]);
  const { config } = loadConfig(g.config ? { configPath: g.config } : {});
  if (config.answer.provider === 'extractive') {
    throw new PlumbError('invalid_config', '--llm needs an LLM answer model, but the configured one is the offline extractive answerer, which cannot write questions', {
      hint: 'set answer.provider to openai-compatible or anthropic with answer.model (e.g. PLUMB_ANSWER__PROVIDER=openai-compatible PLUMB_ANSWER__BASE_URL=http://127.0.0.1:11434/v1 PLUMB_ANSWER__MODEL=llama3.1), or drop --llm for the offline generator',
    });
  }
  return createChatModel(config);
}
