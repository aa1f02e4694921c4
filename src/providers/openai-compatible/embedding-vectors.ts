/** Decoding and normalising embedding vectors as OpenAI-compatible servers return them. */
import { PlumbError } from '../../core/errors.ts';

/** An `embedding` field as floats: a JSON number array, or base64 of little-endian float32s. */
export function decodeEmbedding(raw: unknown, provider: string): Float32Array {
  if (Array.isArray(raw) && raw.every((value) => typeof value === 'number')) return Float32Array.from(raw);
  if (typeof raw === 'string') {
    const bytes = Buffer.from(raw, 'base64');
    if (bytes.length % 4 === 0) {
      // Copy into a fresh, aligned buffer: a Buffer's offset need not be a multiple of 4.
      const floats = new Float32Array(bytes.length / 4);
      new Uint8Array(floats.buffer).set(bytes);
      return floats;
    }
  }
  throw new PlumbError('upstream_error', `${provider} returned an embedding that is neither a number array nor base64 float32.`, {
    hint: 'Check that the server implements OpenAI\'s /embeddings format.',
    details: { provider },
  });
}

/** Scales a vector to unit length in place; an all-zero vector stays zero (it has no direction). */
export function normalise(vector: Float32Array): Float32Array {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  const norm = Math.sqrt(sumOfSquares);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}
