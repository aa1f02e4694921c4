/** The shape of bench/stsb/results.json and its rendering as RESULTS.md. */

export interface VariantResult {
  name: string;
  devSpearman: number;
  scifactPassagesPerSecond: number;
  passagesTimed: number;
  /** Dense-only retrieval on SciFact train queries; undefined when too slow to run (USE-lite). */
  scifactDenseNdcg10: number | undefined;
  note: string;
}

interface Timing {
  ms: number;
  peakRssMB: number;
  rssAfterMB: number;
}

export interface BenchResults {
  machine: { cpu: string; cores: number; node: string; date: string; loadAverage: number[]; command: string };
  data: { stsbTrainPairs: number; stsbDevPairs: number; scifactPassages: number };
  defaultSmoothing: number;
  smoothingOnTrain: Array<{ smoothing: number; withPc: number; withoutPc: number }>;
  variants: VariantResult[];
  scifactOov: { tokenRate: number; typeRate: number; tokens: number; examples: string[] };
  load:
    | {
        jsonParse: Timing;
        float32: { convert: Timing; load: Timing; ready: Timing; cacheMB: number };
        int8: { convert: Timing; load: Timing; ready: Timing; cacheMB: number };
      }
    | undefined;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const row = (step: string, t: Timing, cache: string): string => `| ${step} | ${t.ms} ms | ${t.peakRssMB} MB | ${t.rssAfterMB} MB | ${cache} |`;

/** RESULTS.md: what was measured, on what, and how to reproduce it. */
export function renderResultsMarkdown(r: BenchResults): string {
  const lines: string[] = [
    '# Offline embedder: STS-B dev and speed',
    '',
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}. Date: ${r.machine.date}. Load average at the end (1/5/15 min): ${r.machine.loadAverage.join(' / ')} — the machine is shared, so speeds are noisy.`,
    `Command: \`${r.machine.command}\` (from the repo root).`,
    '',
    `STS-B dev: ${r.data.stsbDevPairs} pairs, Spearman of cosine vs gold score. Speed: SciFact abstracts (title + text, ${r.data.scifactPassages}), one process, batches of 1000, after warm-up, best of 3 passes (USE-lite: 1 pass on 300 abstracts).`,
    'Reference (not measured here): all-MiniLM-L6-v2 scores 0.82 on the STS-B *test* split.',
    'SciFact dense nDCG@10: vector-only retrieval, brute-force cosine over all abstracts, 809 train claims (for reference, plain BM25 scores 0.665 on this split).',
    '',
    '| embedder | STS-B dev Spearman | SciFact passages/s | SciFact train dense nDCG@10 | note |',
    '|---|---:|---:|---:|---|',
    ...r.variants.map(
      (v) =>
        `| ${v.name} | ${v.devSpearman.toFixed(4)} | ${v.scifactPassagesPerSecond.toFixed(0)}${v.passagesTimed < r.data.scifactPassages ? ` (on ${v.passagesTimed})` : ''} | ${v.scifactDenseNdcg10?.toFixed(4) ?? '—'} | ${v.note} |`,
    ),
    '',
    `## SIF smoothing \`a\`, tuned on STS-B train (${r.data.stsbTrainPairs} pairs); default a = ${r.defaultSmoothing}`,
    '',
    '| a | train Spearman, PC removed | train Spearman, no PC |',
    '|---:|---:|---:|',
    ...r.smoothingOnTrain.map((t) => `| ${t.smoothing} | ${t.withPc.toFixed(4)} | ${t.withoutPc.toFixed(4)} |`),
    '',
    '## SciFact vocabulary coverage',
    '',
    `Out-of-vocabulary: ${pct(r.scifactOov.tokenRate)} of ${r.scifactOov.tokens} word tokens, ${pct(r.scifactOov.typeRate)} of distinct words. Unknown words are skipped. Examples: ${r.scifactOov.examples.map((w) => `\`${w}\``).join(', ')}.`,
    '',
  ];
  if (r.load) {
    const l = r.load;
    lines.push(
      '## Loading the word vectors (each in a fresh process; peak RSS of that process)',
      '',
      'Process baseline (node + tsx, nothing loaded) is roughly 60–80 MB of RSS.',
      '',
      '| step | time | peak RSS | RSS after | cache file |',
      '|---|---:|---:|---:|---:|',
      row('JSON.parse of the 300 MB package file (what we avoid)', l.jsonParse, ''),
      row('first use: streaming conversion to float32 cache (`ensureWordVectorCache`)', l.float32.convert, `${l.float32.cacheMB} MB`),
      row('first use: streaming conversion to int8 cache (`ensureWordVectorCache`, default)', l.int8.convert, `${l.int8.cacheMB} MB`),
      row('later loads: float32 cache → WordVectors', l.float32.load, ''),
      row('later loads: int8 cache → WordVectors', l.int8.load, ''),
      row('later loads: `SifEmbedder.ready()`, float32 (adds weights + component)', l.float32.ready, ''),
      row('later loads: `SifEmbedder.ready()`, int8 (default)', l.int8.ready, ''),
      '',
    );
  }
  return lines.join('\n');
}
