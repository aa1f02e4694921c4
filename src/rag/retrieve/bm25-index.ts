/**
 * In-memory inverted index scored with BM25 (BM25F when there are several fields). Postings are
 * growable typed arrays (doc slot + per-field term frequency), so 100k chunks stay compact.
 * Removal tombstones a slot; collection statistics keep counting tombstoned documents until
 * `compact()` — Lucene does the same — and compaction runs by itself once a fifth of the slots
 * are dead.
 */
import { PlumbError } from '../../core/errors.ts';
import { createAnalyzer, type Analyzer } from './analyzer.ts';
import { accumulateDense, accumulateSparse, type Postings } from './bm25-accumulate.ts';
import { TopKHeap } from './top-k-heap.ts';

export interface Bm25FieldOptions {
  /** Multiplies the field's normalised term frequency (BM25F). Default 1. */
  weight?: number;
  /** Length normalisation for this field; defaults to the index-wide `b`. */
  b?: number;
}

export interface Bm25Options {
  /** Term-frequency saturation. Default 0.9 (Anserini's default). */
  k1?: number;
  /** Length normalisation, 0 (none) … 1 (full). Default 0.4. */
  b?: number;
  /** Field names with their options; default a single field named `text`. */
  fields?: Record<string, Bm25FieldOptions>;
  /** Turns text into terms; the same one is applied to queries. Default: lowercase word split. */
  analyzer?: Analyzer;
}

export interface ScoredId {
  id: string;
  score: number;
}


const MAX_FREQ = 65_535;
const COMPACT_DEAD_FRACTION = 0.2;

/** BM25 over an incremental inverted index. */
export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  readonly fieldNames: readonly string[];
  private readonly fieldWeights: Float64Array;
  private readonly fieldB: Float64Array;
  private readonly fieldCount: number;
  private readonly analyze: Analyzer;

  private readonly termIds = new Map<string, number>();
  private postings: Postings[] = [];

  private slotIds: Array<string | undefined> = [];
  private readonly slotOfId = new Map<string, number>();
  private fieldLengths = new Uint32Array(0);
  private dead = new Uint8Array(0);
  private slotCount = 0;
  private deadCount = 0;
  private readonly totalFieldLength: Float64Array;

  // Per-slot, per-field weight / length normalisation; rebuilt lazily when statistics change.
  private fieldFactors = new Float32Array(0);
  private factorsStale = true;
  private accumulator = new Float64Array(0);
  private touched = new Int32Array(0);
  // Scratch for add(): term id → its position in the document being added (−1 when absent).
  private scratchPosition = new Int32Array(0);
  private scratchFreqs = new Uint16Array(0);

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 0.9;
    this.b = options.b ?? 0.4;
    if (!(this.k1 >= 0) || !(this.b >= 0 && this.b <= 1)) {
      throw new PlumbError('invalid_config', `BM25 needs k1 ≥ 0 and 0 ≤ b ≤ 1 (got k1=${this.k1}, b=${this.b}).`, {
        hint: 'Typical values are k1 0.9–1.2 and b 0.4–0.75.',
      });
    }
    const fields = options.fields ?? { text: {} };
    this.fieldNames = Object.keys(fields);
    if (this.fieldNames.length === 0) {
      throw new PlumbError('invalid_config', 'A BM25 index needs at least one field.', { hint: 'Pass fields: { text: {} }.' });
    }
    this.fieldCount = this.fieldNames.length;
    this.fieldWeights = Float64Array.from(this.fieldNames, (name) => fields[name]?.weight ?? 1);
    this.fieldB = Float64Array.from(this.fieldNames, (name) => fields[name]?.b ?? this.b);
    this.totalFieldLength = new Float64Array(this.fieldCount);
    this.analyze = options.analyzer ?? createAnalyzer();
  }

  /** Live (not removed) documents. */
  get size(): number {
    return this.slotCount - this.deadCount;
  }

  /** Whether a document with this id is indexed. */
  has(id: string): boolean {
    return this.slotOfId.has(id);
  }

  /** Indexes a document's fields (text by field name; unknown names are ignored). Replaces an existing id. */
  add(id: string, fields: Record<string, string | undefined>): void {
    const terms: string[][] = this.fieldNames.map((name) => {
      const text = fields[name];
      return text ? this.analyze(text) : [];
    });
    this.addTerms(id, terms);
  }

  /** Indexes already-analysed terms, one array per field in `fieldNames` order. */
  addTerms(id: string, termsByField: readonly (readonly string[])[]): void {
    if (this.slotOfId.has(id)) this.remove(id);
    const slot = this.slotCount++;
    this.ensureSlotCapacity(this.slotCount);
    this.slotIds[slot] = id;
    this.slotOfId.set(id, slot);

    // Per-document term frequencies in reusable scratch arrays: no allocation per term, which
    // matters when loading 100k chunks at start-up.
    const nf = this.fieldCount;
    const docTerms: number[] = [];
    for (let f = 0; f < nf; f++) {
      const terms = termsByField[f] ?? [];
      this.fieldLengths[slot * nf + f] = terms.length;
      this.totalFieldLength[f]! += terms.length;
      for (const term of terms) {
        const termId = this.termIdFor(term);
        this.ensureScratch(termId + 1, (docTerms.length + 1) * nf);
        let position = this.scratchPosition[termId]!;
        if (position < 0) {
          position = docTerms.length;
          this.scratchPosition[termId] = position;
          docTerms.push(termId);
          this.scratchFreqs.fill(0, position * nf, position * nf + nf);
        }
        if (this.scratchFreqs[position * nf + f]! < MAX_FREQ) this.scratchFreqs[position * nf + f]!++;
      }
    }
    for (let position = 0; position < docTerms.length; position++) {
      const termId = docTerms[position]!;
      this.appendPosting(termId, slot, this.scratchFreqs, position * nf);
      this.scratchPosition[termId] = -1;
    }
    this.factorsStale = true;
  }

  private ensureScratch(vocabulary: number, freqSlots: number): void {
    if (this.scratchPosition.length < vocabulary) {
      const grown = new Int32Array(Math.max(1024, vocabulary * 2)).fill(-1);
      grown.set(this.scratchPosition);
      this.scratchPosition = grown;
    }
    if (this.scratchFreqs.length < freqSlots) {
      const grown = new Uint16Array(Math.max(256, freqSlots * 2));
      grown.set(this.scratchFreqs);
      this.scratchFreqs = grown;
    }
  }

  /** Removes a document; returns whether it was indexed. */
  remove(id: string): boolean {
    const slot = this.slotOfId.get(id);
    if (slot === undefined) return false;
    this.slotOfId.delete(id);
    this.slotIds[slot] = undefined;
    this.dead[slot] = 1;
    this.deadCount++;
    if (this.deadCount > COMPACT_DEAD_FRACTION * this.slotCount && this.slotCount >= 50) this.compact();
    return true;
  }

  /** Terms the analyzer makes of a query, for callers that expand queries (e.g. RM3). */
  analyzeQuery(query: string): string[] {
    return this.analyze(query);
  }

  /** Top-k documents for a query, best first; `filter` (by id) restricts the candidates. */
  search(query: string, k: number, filter?: (id: string) => boolean): ScoredId[] {
    const weights = new Map<string, number>();
    for (const term of this.analyze(query)) weights.set(term, (weights.get(term) ?? 0) + 1);
    return this.searchWeighted(weights, k, filter);
  }

  /**
   * Top-k for weighted query terms: each term's BM25 contribution is multiplied by its weight
   * (a term repeated in the query counts once per occurrence, as in Lucene's boolean query).
   */
  searchWeighted(termWeights: ReadonlyMap<string, number>, k: number, filter?: (id: string) => boolean): ScoredId[] {
    if (k <= 0 || this.size === 0) return [];
    this.refreshFactors();
    const n = this.slotCount;
    const terms: Array<{ postings: Postings; weight: number }> = [];
    let totalPostings = 0;
    for (const [term, weight] of termWeights) {
      const termId = this.termIds.get(term);
      if (termId === undefined || weight === 0) continue;
      const postings = this.postings[termId]!;
      terms.push({ postings, weight });
      totalPostings += postings.length;
    }
    if (terms.length === 0) return [];
    // Many postings: tracking touched slots costs more than scanning every slot once at the end.
    const dense = totalPostings > n / 4;
    const scores = this.accumulator;
    let touched = 0;
    if (!dense && this.touched.length < n) this.touched = new Int32Array(this.dead.length);
    const touchedSlots = this.touched;
    for (const { postings, weight } of terms) {
      const df = postings.length;
      // Lucene's idf: always positive, so a zero accumulator means "not touched yet".
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * weight * (this.k1 + 1);
      if (dense) accumulateDense(postings, idf, this.k1, this.fieldFactors, this.fieldCount, scores);
      else touched = accumulateSparse(postings, idf, this.k1, this.fieldFactors, this.fieldCount, scores, touchedSlots, touched);
    }
    const heap = new TopKHeap(k);
    const offer = (slot: number): void => {
      const score = scores[slot]!;
      if (score === 0) return;
      scores[slot] = 0;
      if (this.dead[slot] || score <= heap.threshold) return;
      if (filter && !filter(this.slotIds[slot]!)) return;
      heap.push(slot, score);
    };
    if (dense) for (let slot = 0; slot < n; slot++) offer(slot);
    else for (let i = 0; i < touched; i++) offer(touchedSlots[i]!);
    return heap.drainDescending().map(({ slot, score }) => ({ id: this.slotIds[slot]!, score }));
  }

  /** Drops tombstoned documents from postings and statistics. */
  compact(): void {
    if (this.deadCount === 0) return;
    const remap = new Int32Array(this.slotCount).fill(-1);
    let next = 0;
    for (let slot = 0; slot < this.slotCount; slot++) if (!this.dead[slot]) remap[slot] = next++;

    const nf = this.fieldCount;
    const lengths = new Uint32Array(Math.max(16, next) * nf);
    const ids: Array<string | undefined> = new Array<string | undefined>(next);
    this.totalFieldLength.fill(0);
    for (let slot = 0; slot < this.slotCount; slot++) {
      const to = remap[slot]!;
      if (to < 0) continue;
      ids[to] = this.slotIds[slot];
      this.slotOfId.set(this.slotIds[slot]!, to);
      for (let f = 0; f < nf; f++) {
        const len = this.fieldLengths[slot * nf + f]!;
        lengths[to * nf + f] = len;
        this.totalFieldLength[f]! += len;
      }
    }

    // Rebuild postings without dead slots; terms left with no postings are dropped entirely.
    const oldPostings = this.postings;
    const oldTermIds = [...this.termIds];
    this.termIds.clear();
    this.postings = [];
    for (const [term, termId] of oldTermIds) {
      const old = oldPostings[termId]!;
      let live = 0;
      for (let i = 0; i < old.length; i++) if (remap[old.slots[i]!]! >= 0) live++;
      if (live === 0) continue;
      const slots = new Int32Array(live);
      const freqs = new Uint16Array(live * nf);
      let j = 0;
      for (let i = 0; i < old.length; i++) {
        const to = remap[old.slots[i]!]!;
        if (to < 0) continue;
        slots[j] = to;
        freqs.set(old.freqs.subarray(i * nf, i * nf + nf), j * nf);
        j++;
      }
      this.termIds.set(term, this.postings.length);
      this.postings.push({ slots, freqs, length: live });
    }

    this.scratchPosition = new Int32Array(0);
    this.slotIds = ids;
    this.fieldLengths = lengths;
    this.slotCount = next;
    this.deadCount = 0;
    this.dead = new Uint8Array(Math.max(16, next));
    this.accumulator = new Float64Array(Math.max(16, next));
    this.factorsStale = true;
  }

  /** Releases the spare capacity postings keep for growth (call after a bulk load). */
  shrinkToFit(): void {
    const nf = this.fieldCount;
    for (const p of this.postings) {
      if (p.slots.length === p.length) continue;
      p.slots = p.slots.slice(0, p.length);
      p.freqs = p.freqs.slice(0, p.length * nf);
    }
  }

  /** Approximate bytes held by the index's arrays (postings, lengths, score buffers). */
  memoryBytes(): number {
    let bytes = this.fieldLengths.byteLength + this.dead.byteLength + this.fieldFactors.byteLength + this.accumulator.byteLength;
    for (const p of this.postings) bytes += p.slots.byteLength + p.freqs.byteLength + 64;
    for (const term of this.termIds.keys()) bytes += 2 * term.length + 48;
    // Slot ids: a pointer per slot plus the map entry; the strings themselves belong to the caller.
    bytes += this.slotCount * 8 + this.slotOfId.size * 40;
    return bytes;
  }

  /** Number of distinct terms. */
  get vocabularySize(): number {
    return this.termIds.size;
  }

  private termIdFor(term: string): number {
    let termId = this.termIds.get(term);
    if (termId === undefined) {
      termId = this.postings.length;
      this.termIds.set(term, termId);
      this.postings.push({ slots: new Int32Array(2), freqs: new Uint16Array(2 * this.fieldCount), length: 0 });
    }
    return termId;
  }

  private appendPosting(termId: number, slot: number, freqs: Uint16Array, offset: number): void {
    const p = this.postings[termId]!;
    if (p.length === p.slots.length) {
      const slots = new Int32Array(p.slots.length * 2);
      slots.set(p.slots);
      const grown = new Uint16Array(p.freqs.length * 2);
      grown.set(p.freqs);
      p.slots = slots;
      p.freqs = grown;
    }
    p.slots[p.length] = slot;
    const nf = this.fieldCount;
    for (let f = 0; f < nf; f++) p.freqs[p.length * nf + f] = freqs[offset + f]!;
    p.length++;
  }

  private ensureSlotCapacity(needed: number): void {
    if (needed <= this.dead.length) return;
    const capacity = Math.max(16, needed, this.dead.length * 2);
    const lengths = new Uint32Array(capacity * this.fieldCount);
    lengths.set(this.fieldLengths);
    this.fieldLengths = lengths;
    const dead = new Uint8Array(capacity);
    dead.set(this.dead);
    this.dead = dead;
    this.accumulator = new Float64Array(capacity);
  }

  private refreshFactors(): void {
    if (!this.factorsStale) return;
    const nf = this.fieldCount;
    if (this.fieldFactors.length < this.slotCount * nf) this.fieldFactors = new Float32Array(this.dead.length * nf);
    for (let f = 0; f < nf; f++) {
      const average = this.totalFieldLength[f]! / Math.max(1, this.slotCount) || 1;
      const b = this.fieldB[f]!;
      const weight = this.fieldWeights[f]!;
      for (let slot = 0; slot < this.slotCount; slot++) {
        const len = this.fieldLengths[slot * nf + f]!;
        this.fieldFactors[slot * nf + f] = weight / (1 - b + (b * len) / average);
      }
    }
    this.factorsStale = false;
  }
}
