// Every term within a few typing edits of a query term, without scanning the vocabulary: a trie walked
// depth first with one row of the edit-distance table per level, abandoning a branch as soon as every
// cell of its row exceeds the allowed edits. Exact for one and two edits (a transposition counts as one,
// as in the ranker), where trigram or q-gram filters either miss short words or return thousands of
// candidates in a book of coined brand names. The trie lives in four typed arrays and keeps no term
// strings, so a million terms cost tens of megabytes and no per-node or per-term objects.

export type TermTrie = {
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly char: Uint16Array;
  /** The id of the term ending at a node, or -1. Ids count from 0 in the order terms were added. */
  readonly termAt: Int32Array;
  readonly termCount: number;
  readonly maxDepth: number;
};

/** The trie of the same terms reversed, and the id each of its terms has in the forward trie. */
export type BackwardTrie = { readonly trie: TermTrie; readonly forwardId: Int32Array };

export type TermHit = { term: number; edits: number };

function grown<A extends Int32Array | Uint16Array>(array: A, size: number, fill: number): A {
  const next = new (array.constructor as new (n: number) => A)(size);
  next.set(array);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}

/**
 * Builds a trie term by term, reading each straight from the text it sits in (no substring, no sort):
 * a million names are read without making a million strings.
 */
export class TermTrieBuilder {
  private firstChild: Int32Array;
  private nextSibling: Int32Array;
  private char: Uint16Array;
  private termAt: Int32Array;
  private nodes = 1; // node 0 is the root
  private terms = 0;
  private maxDepth = 0;

  /** `letters`: how many letters will be added, if known (a bound on the nodes: no regrowing). */
  constructor(letters = 1024) {
    const capacity = Math.max(16, letters + 1);
    this.firstChild = new Int32Array(capacity).fill(-1);
    this.nextSibling = new Int32Array(capacity).fill(-1);
    this.char = new Uint16Array(capacity);
    this.termAt = new Int32Array(capacity).fill(-1);
  }

  /** How many distinct terms were added so far. */
  get termCount(): number {
    return this.terms;
  }

  /** Adds text[from, to) (read from its end when `backwards`); returns its id, the same for the same term. */
  add(text: string, from = 0, to = text.length, backwards = false): number {
    let node = 0;
    for (let k = 0; k < to - from; k++) {
      const c = text.charCodeAt(backwards ? to - 1 - k : from + k);
      let child = this.firstChild[node] as number;
      while (child !== -1 && this.char[child] !== c) child = this.nextSibling[child] as number;
      if (child === -1) {
        if (this.nodes === this.char.length) this.grow();
        child = this.nodes++;
        this.char[child] = c;
        this.nextSibling[child] = this.firstChild[node] as number;
        this.firstChild[node] = child;
      }
      node = child;
    }
    if (to - from > this.maxDepth) this.maxDepth = to - from;
    let id = this.termAt[node] as number;
    if (id === -1) {
      id = this.terms++;
      this.termAt[node] = id;
    }
    return id;
  }

  /**
   * The trie, its nodes renumbered in depth-first order: nodes are added in the order names come,
   * scattered over the arrays, while a walk visits a subtree at a time; laid out as it walks, a
   * subtree sits in a few cache lines (on a million names, several times fewer cache misses).
   */
  build(): TermTrie {
    const count = this.nodes;
    const renumbered = new Int32Array(count);
    const order = new Int32Array(count);
    const stack = new Int32Array(count);
    let top = 0;
    let next = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top] as number;
      renumbered[node] = next;
      order[next++] = node;
      // Pushed last to first, so the first child is numbered right after its parent.
      const first = top;
      for (
        let child = this.firstChild[node] as number;
        child !== -1;
        child = this.nextSibling[child] as number
      ) {
        stack[top++] = child;
      }
      stack.subarray(first, top).reverse();
    }
    const firstChild = new Int32Array(count);
    const nextSibling = new Int32Array(count);
    const char = new Uint16Array(count);
    const termAt = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const node = order[k] as number;
      const child = this.firstChild[node] as number;
      const sibling = this.nextSibling[node] as number;
      firstChild[k] = child === -1 ? -1 : (renumbered[child] as number);
      nextSibling[k] = sibling === -1 ? -1 : (renumbered[sibling] as number);
      char[k] = this.char[node] as number;
      termAt[k] = this.termAt[node] as number;
    }
    return { firstChild, nextSibling, char, termAt, termCount: this.terms, maxDepth: this.maxDepth };
  }

  private grow(): void {
    const size = this.char.length * 2;
    this.firstChild = grown(this.firstChild, size, -1);
    this.nextSibling = grown(this.nextSibling, size, -1);
    this.char = grown(this.char, size, 0);
    this.termAt = grown(this.termAt, size, -1);
  }
}

/** Forward and backward tries of a list of terms; terms[id] names a hit (for small vocabularies). */
export function buildTermTries(input: Iterable<string>): {
  trie: TermTrie;
  backward: BackwardTrie;
  terms: string[];
} {
  const forward = new TermTrieBuilder();
  const backward = new TermTrieBuilder();
  const terms: string[] = [];
  const forwardId: number[] = [];
  for (const term of input) {
    if (term.length === 0) continue;
    const id = forward.add(term);
    if (id === terms.length) terms.push(term);
    forwardId[backward.add(term, 0, term.length, true)] = id;
  }
  return {
    trie: forward.build(),
    backward: { trie: backward.build(), forwardId: Int32Array.from(forwardId) },
    terms,
  };
}

/** The id of a term, or -1: a walk down the trie. */
export function termId(trie: TermTrie, term: string): number {
  let node = 0;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    let child = trie.firstChild[node] as number;
    while (child !== -1 && trie.char[child] !== c) child = trie.nextSibling[child] as number;
    if (child === -1) return -1;
    node = child;
  }
  return trie.termAt[node] as number;
}

/** Reverses a term, so the backward trie walks it from its last letter. */
export function reversed(term: string): string {
  let out = "";
  for (let i = term.length - 1; i >= 0; i--) out += term[i];
  return out;
}

/**
 * Terms within `maxEdits` of `query` (insertions, deletions, substitutions, adjacent transpositions:
 * the optimal-string-alignment distance the ranker uses), with their distance. With a `backward` trie
 * (the trie of reversed terms) the walk is split by pigeonhole over the term: either its first letters
 * are typed exactly, or they hold an edit and so its last letters hold one fewer. The first case
 * descends those letters without branching, forwards; the second walks backwards, allowing one edit
 * fewer while inside them. Without it, every two-letter prefix is within two edits of anything and
 * the walk visits most of the trie's top.
 */
export function termsWithin(
  trie: TermTrie,
  query: string,
  maxEdits: number,
  backward?: BackwardTrie,
): TermHit[] {
  if (maxEdits <= 0) {
    const id = termId(trie, query);
    return id === -1 ? [] : [{ term: id, edits: 0 }];
  }
  if (backward === undefined) return walk(trie, query, maxEdits, 0, maxEdits);
  // A matching term has at least query.length - maxEdits letters: the exact head and the tail walked
  // backwards never overlap, so one of the two walks finds it.
  const span = Math.max(0, query.length - maxEdits);
  const head = Math.ceil(span / 2);
  const hits = walk(trie, query, maxEdits, head, 0);
  const seen = new Set(hits.map((h) => h.term));
  for (const hit of walk(backward.trie, reversed(query), maxEdits, span - head, maxEdits - 1)) {
    const id = backward.forwardId[hit.term] as number;
    if (seen.has(id)) continue;
    seen.add(id);
    hits.push({ term: id, edits: hit.edits });
  }
  return hits;
}

/**
 * Depth-first walk allowing `headEdits` down to depth `headDepth`, `maxEdits` below it. Only the band
 * of cells within `maxEdits` of the diagonal is computed: a cell outside it is over the limit anyway.
 */
function walk(
  trie: TermTrie,
  query: string,
  maxEdits: number,
  headDepth: number,
  headEdits: number,
): TermHit[] {
  const m = query.length;
  const width = m + 1;
  const depthLimit = Math.min(trie.maxDepth, m + maxEdits);
  const over = maxEdits + 1;
  // rows[d] is the table row after d characters of the trie path; row 0 is 0..m.
  const rows = new Int32Array((depthLimit + 1) * width).fill(over);
  for (let j = 0; j <= Math.min(m, maxEdits); j++) rows[j] = j;
  const pathChars = new Uint16Array(depthLimit + 1);
  const q = new Uint16Array(m);
  for (let j = 0; j < m; j++) q[j] = query.charCodeAt(j);
  const hits: TermHit[] = [];
  // Explicit stack of (node, depth) instead of recursion: a long term must not blow the call stack.
  const stackNode: number[] = [];
  const stackDepth: number[] = [];
  for (let child = trie.firstChild[0] as number; child !== -1; child = trie.nextSibling[child] as number) {
    stackNode.push(child);
    stackDepth.push(1);
  }
  while (stackNode.length > 0) {
    const node = stackNode.pop() as number;
    const depth = stackDepth.pop() as number;
    const c = trie.char[node] as number;
    pathChars[depth] = c;
    const row = depth * width;
    const prev = row - width;
    const prev2 = prev - width;
    const from = Math.max(1, depth - maxEdits);
    const to = Math.min(m, depth + maxEdits);
    // The cells just outside the band are read by the next row: keep them over the limit.
    rows[row + from - 1] = from === 1 ? depth : over;
    if (to < m) rows[row + to + 1] = over;
    let best = from === 1 ? depth : over;
    for (let j = from; j <= to; j++) {
      const cost = q[j - 1] === c ? 0 : 1;
      let v = Math.min(
        (rows[prev + j] as number) + 1,
        (rows[row + j - 1] as number) + 1,
        (rows[prev + j - 1] as number) + cost,
      );
      if (depth > 1 && j > 1 && q[j - 1] === pathChars[depth - 1] && q[j - 2] === c) {
        v = Math.min(v, (rows[prev2 + j - 2] as number) + 1);
      }
      rows[row + j] = v;
      if (v < best) best = v;
    }
    const budget = depth <= headDepth ? headEdits : maxEdits;
    if (best > budget) continue;
    const term = trie.termAt[node] as number;
    if (term !== -1 && (rows[row + m] as number) <= maxEdits) {
      hits.push({ term, edits: rows[row + m] as number });
    }
    if (depth >= depthLimit) continue;
    for (
      let child = trie.firstChild[node] as number;
      child !== -1;
      child = trie.nextSibling[child] as number
    ) {
      stackNode.push(child);
      stackDepth.push(depth + 1);
    }
  }
  return hits;
}
