/** Vectors as BLOBs of float32 little-endian, the layout pgvector's binary format and numpy agree on. */
import os from 'node:os';
import { PlumbError } from '../../core/errors.ts';

const HOST_IS_LITTLE_ENDIAN = os.endianness() === 'LE';

/** Encodes a vector as float32 little-endian bytes. */
export function encodeVector(vector: Float32Array): Buffer {
  if (HOST_IS_LITTLE_ENDIAN) return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] ?? 0, i * 4);
  return bytes;
}

/**
 * Decodes float32 little-endian bytes into a fresh Float32Array. Copies: a Buffer from SQLite
 * may sit at any byteOffset of a shared pool, which a Float32Array view cannot start at.
 */
export function decodeVector(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new PlumbError('internal', `A stored vector has ${bytes.byteLength} bytes, not a multiple of 4.`, {
      hint: 'The database holds a damaged vector: delete the document and ingest it again.',
    });
  }
  const vector = new Float32Array(bytes.byteLength / 4);
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(vector.buffer).set(bytes);
    return vector;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}
