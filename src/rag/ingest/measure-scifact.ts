/**
 * Measures loading and chunking the SciFact corpus (5,183 abstracts):
 *   npx tsx src/rag/ingest/measure-scifact.ts [path/to/corpus.jsonl]
 * Each chunk setting runs twice: the first run includes JIT and tokenizer warm-up. CPU time is
 * printed beside wall time because on a shared machine wall time mostly measures the neighbours.
 */
import { getTokenizer } from '../../core/tokenizer.ts';
import { chunkDocument } from './chunking/chunk-document.ts';
import { loadFile } from './load-file.ts';

const corpus = process.argv[2] ?? '../shared/datasets/scifact/corpus.jsonl';

const loadStarted = performance.now();
const loadCpu = process.cpuUsage();
const loaded = await loadFile(corpus);
const loadMs = performance.now() - loadStarted;
const loadCpuMs = cpuMs(loadCpu);
if (!loaded.ok) throw new Error(`could not load ${corpus}: ${loaded.reason}: ${loaded.message}`);
console.log(`load: ${loaded.documents.length} documents, ${loaded.warnings.length} warnings, ${loadMs.toFixed(0)} ms wall, ${loadCpuMs.toFixed(0)} ms CPU`);

getTokenizer('o200k_base').count('warm up the BPE tables');
for (const [maxTokens, overlapTokens] of [[512, 64], [256, 32]] as const) {
  for (const run of [1, 2]) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let chunks = 0;
    let tokens = 0;
    for (const doc of loaded.documents) {
      for (const chunk of chunkDocument(doc, { maxTokens, overlapTokens })) {
        chunks++;
        tokens += chunk.tokenCount;
      }
    }
    const ms = performance.now() - started;
    console.log(`chunk ${maxTokens}/${overlapTokens} run ${run}: ${chunks} chunks, ${tokens} tokens, ${ms.toFixed(0)} ms wall, ${cpuMs(cpu).toFixed(0)} ms CPU`);
  }
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}
