/**
 * Exact cosine search: unit vectors in one contiguous Float32Array, scored by dot product.
 * Removal moves the last row into the freed one, so the matrix stays dense and a scan never
 * skips holes. At 100k × 100-d one query is a ~10M multiply-add scan (a few ms, measured in
 * bench/retrieval-latency), so no approximate index is needed at this scale.
 */
import { PlumbError } from '../../core/errors.ts';
import type { ScoredId } from './bm25-index.ts';
import { TopKHeap } from './top-k-heap.ts';

/** Exact top-k cosine similarity over an incremental set of vectors. */
export class VectorIndex {
  private matrix: Float32Array;
  private rowIds: string[] = [];
  private readonly rowOfId = new Map<string, number>();

  constructor(
    readonly dimensions: number,
    initialCapacity = 1024,
  ) {
    if (!Number.isInteger(dimensions) || dimensions <= 0) {
      throw new PlumbError('invalid_config', `Vector dimensions must be a positive integer (got ${dimensions}).`, {
        hint: "Use the embedding model's `dimensions`.",
      });
    }
    this.matrix = new Float32Array(Math.max(1, initialCapacity) * dimensions);
  }

  /** Number of vectors held. */
  get size(): number {
    return this.rowIds.length;
  }

  /** Whether a vector with this id is indexed. */
  has(id: string): boolean {
    return this.rowOfId.has(id);
  }

  /** Adds (or replaces) a vector; it is normalised to unit length so dot product is cosine. */
  add(id: string, vector: Float32Array): void {
    if (vector.length !== this.dimensions) {
      throw new PlumbError('bad_request', `Vector for ${id} has ${vector.length} dimensions; this index holds ${this.dimensions}.`, {
        hint: 'All vectors of one index must come from the same embedding model; re-embed or rebuild the index.',
      });
    }
    let row = this.rowOfId.get(id);
    if (row === undefined) {
      row = this.rowIds.length;
      this.ensureCapacity(row + 1);
      this.rowIds.push(id);
      this.rowOfId.set(id, row);
    }
    const offset = row * this.dimensions;
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < vector.length; i++) this.matrix[offset + i] = vector[i]! * scale;
  }

  /** Removes a vector; returns whether it was there. */
  remove(id: string): boolean {
    const row = this.rowOfId.get(id);
    if (row === undefined) return false;
    const last = this.rowIds.length - 1;
    if (row !== last) {
      const lastId = this.rowIds[last]!;
      this.matrix.copyWithin(row * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.rowIds[row] = lastId;
      this.rowOfId.set(lastId, row);
    }
    this.rowIds.pop();
    this.rowOfId.delete(id);
    return true;
  }

  /** The stored (unit) vector for an id, as a view into the matrix: copy it before mutating the index. */
  get(id: string): Float32Array | undefined {
    const row = this.rowOfId.get(id);
    if (row === undefined) return undefined;
    return this.matrix.subarray(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /** Top-k ids by cosine similarity to `query`, best first; `filter` (by id) restricts the candidates. */
  search(query: Float32Array, k: number, filter?: (id: string) => boolean): ScoredId[] {
    if (query.length !== this.dimensions) {
      throw new PlumbError('bad_request', `Query vector has ${query.length} dimensions; the index holds ${this.dimensions}.`, {
        hint: 'Embed the query with the same model that embedded the chunks.',
      });
    }
    if (k <= 0 || this.size === 0) return [];
    let norm = 0;
    for (let i = 0; i < query.length; i++) norm += query[i]! * query[i]!;
    if (norm === 0) return [];
    const q = Float32Array.from(query, (x) => x / Math.sqrt(norm));

    const heap = new TopKHeap(k);
    const m = this.matrix;
    const d = this.dimensions;
    const rows = this.rowIds.length;
    const unrolled = d - (d % 4);
    for (let row = 0, offset = 0; row < rows; row++, offset += d) {
      // Four independent accumulators let V8 overlap the multiply-adds.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i < unrolled; i += 4) {
        s0 += m[offset + i]! * q[i]!;
        s1 += m[offset + i + 1]! * q[i + 1]!;
        s2 += m[offset + i + 2]! * q[i + 2]!;
        s3 += m[offset + i + 3]! * q[i + 3]!;
      }
      for (; i < d; i++) s0 += m[offset + i]! * q[i]!;
      const score = s0 + s1 + s2 + s3;
      if (score <= heap.threshold) continue;
      if (filter && !filter(this.rowIds[row]!)) continue;
      heap.push(row, score);
    }
    return heap.drainDescending().map(({ slot, score }) => ({ id: this.rowIds[slot]!, score }));
  }

  /** Bytes held by the vector matrix (the dominant cost). */
  memoryBytes(): number {
    return this.matrix.byteLength + this.rowIds.length * 48;
  }

  private ensureCapacity(rows: number): void {
    if (rows * this.dimensions <= this.matrix.length) return;
    const grown = new Float32Array(Math.max(rows, (this.matrix.length / this.dimensions) * 2) * this.dimensions);
    grown.set(this.matrix);
    this.matrix = grown;
  }
}
