/**
 * Keeps the k best (slot, score) pairs seen so far in a min-heap over typed arrays: O(n log k)
 * over n candidates with no per-candidate allocation, which is what keeps top-k cheap at 100k.
 */
export class TopKHeap {
  private readonly slots: Int32Array;
  private readonly scores: Float64Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.slots = new Int32Array(Math.max(1, capacity));
    this.scores = new Float64Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** The score a candidate must beat to enter (−∞ while the heap is not full). */
  get threshold(): number {
    return this.count < this.capacity ? Number.NEGATIVE_INFINITY : (this.scores[0] ?? Number.NEGATIVE_INFINITY);
  }

  /** Offers a candidate; it is kept only if it beats the current k-th best. */
  push(slot: number, score: number): void {
    if (this.capacity <= 0) return;
    if (this.count < this.capacity) {
      this.slots[this.count] = slot;
      this.scores[this.count] = score;
      this.count++;
      this.siftUp(this.count - 1);
    } else if (score > this.scores[0]!) {
      this.slots[0] = slot;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  /** Drains the heap, best first; ties keep the lower slot first so results are deterministic. */
  drainDescending(): Array<{ slot: number; score: number }> {
    const out: Array<{ slot: number; score: number }> = [];
    for (let i = 0; i < this.count; i++) out.push({ slot: this.slots[i]!, score: this.scores[i]! });
    this.count = 0;
    return out.sort((a, b) => b.score - a.score || a.slot - b.slot);
  }

  private less(i: number, j: number): boolean {
    const si = this.scores[i]!;
    const sj = this.scores[j]!;
    // On equal scores the higher slot counts as "worse", so it is evicted first.
    return si < sj || (si === sj && this.slots[i]! > this.slots[j]!);
  }

  private swap(i: number, j: number): void {
    const slot = this.slots[i]!;
    this.slots[i] = this.slots[j]!;
    this.slots[j] = slot;
    const score = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = score;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.count && this.less(left, smallest)) smallest = left;
      if (right < this.count && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
