/**
 * One load measurement in a fresh process, so RSS is not polluted by earlier steps.
 * Usage: tsx bench/stsb/measure-load.ts <json-parse|convert|load|ready> <cacheDir> <float32|int8>
 * Prints one JSON line: { mode, dtype, ms, peakRssMB, rssAfterMB }.
 */
import fs from 'node:fs';
import { SifEmbedder } from '../../src/providers/offline/sif-embedder.ts';
import { defaultVectorsPath, ensureWordVectorCache, loadWordVectors, type WordVectorDtype } from '../../src/providers/offline/word-vectors.ts';

const [mode, cacheDir, dtypeArg] = process.argv.slice(2);
const dtype = (dtypeArg ?? 'int8') as WordVectorDtype;
if (!mode || !cacheDir) throw new Error('usage: measure-load.ts <mode> <cacheDir> <dtype>');

const started = performance.now();
if (mode === 'json-parse') {
  const parsed = JSON.parse(fs.readFileSync(defaultVectorsPath(), 'utf8')) as { size: number };
  if (parsed.size < 1) throw new Error('empty');
} else if (mode === 'convert') {
  const status = await ensureWordVectorCache({ cacheDir, dtype });
  if (!status.built) throw new Error(`expected an empty cache dir: ${cacheDir}`);
} else if (mode === 'load') {
  await loadWordVectors({ cacheDir, dtype });
} else if (mode === 'ready') {
  await new SifEmbedder({ cacheDir, dtype }).ready();
} else {
  throw new Error(`unknown mode ${mode}`);
}
const ms = performance.now() - started;
console.log(JSON.stringify({ mode, dtype, ms: Math.round(ms), peakRssMB: peakRssMB(), rssAfterMB: Math.round(process.memoryUsage().rss / 1e6) }));

/**
 * VmHWM, not resourceUsage().maxRSS: Linux carries ru_maxrss across fork + exec, so a child of
 * the bench would report the bench's own peak. VmHWM belongs to this process's memory map.
 */
function peakRssMB(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Math.round(process.resourceUsage().maxRSS / 1024);
}
