/**
 * Binary heap over the integers 0..n-1 whose keys change in place: the draft keeps reps ordered
 * by capacity-adjusted total and re-keys two reps per move, in O(log reps) instead of a scan.
 * `before(a, b)` is true when a belongs above b; it must be a strict total order for determinism.
 */
export class IndexedHeap {
  private readonly heap: number[] = [];
  private readonly pos: Int32Array;

  constructor(
    size: number,
    private readonly before: (a: number, b: number) => boolean,
  ) {
    this.pos = new Int32Array(size).fill(-1);
  }

  get size(): number {
    return this.heap.length;
  }

  has(item: number): boolean {
    return (this.pos[item] ?? -1) >= 0;
  }

  peek(): number | undefined {
    return this.heap[0];
  }

  push(item: number): void {
    if (this.has(item)) {
      this.update(item);
      return;
    }
    this.heap.push(item);
    this.pos[item] = this.heap.length - 1;
    this.up(this.heap.length - 1);
  }

  remove(item: number): void {
    const i = this.pos[item] ?? -1;
    if (i < 0) return;
    const last = this.heap.pop() as number;
    this.pos[item] = -1;
    if (i === this.heap.length) return;
    this.heap[i] = last;
    this.pos[last] = i;
    this.up(i);
    this.down(this.pos[last] ?? i);
  }

  /** Call after the item's key changed. */
  update(item: number): void {
    const i = this.pos[item] ?? -1;
    if (i < 0) return;
    this.up(i);
    this.down(this.pos[item] ?? i);
  }

  private at(i: number): number {
    return this.heap[i] as number;
  }

  private swap(i: number, j: number): void {
    const a = this.at(i);
    const b = this.at(j);
    this.heap[i] = b;
    this.heap[j] = a;
    this.pos[b] = i;
    this.pos[a] = j;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.at(i), this.at(parent))) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < n && this.before(this.at(l), this.at(top))) top = l;
      if (r < n && this.before(this.at(r), this.at(top))) top = r;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }
}
