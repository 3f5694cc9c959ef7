// Every term within a few typing edits of a query term, without scanning the vocabulary: a trie walked
// depth first with one row of the edit-distance table per level, abandoning a branch as soon as every
// cell of its row exceeds the allowed edits. Exact for one and two edits (a transposition counts as one,
// as in the ranker), where trigram or q-gram filters either miss short words or return thousands of
// candidates in a book of coined brand names. The trie lives in four typed arrays, so a million terms
// cost tens of megabytes and no per-node objects.

export type TermTrie = {
  /** Terms in code-unit order; a term's position here is its id. */
  readonly terms: readonly string[];
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly char: Uint16Array;
  /** The term ending at a node, or -1. */
  readonly termAt: Int32Array;
  readonly maxDepth: number;
};

export type TermHit = { term: number; edits: number };

/** Builds the trie from distinct terms (sorted here; duplicates are dropped). */
export function buildTermTrie(input: Iterable<string>): TermTrie {
  const terms = [...new Set(input)].filter((t) => t.length > 0).sort();
  let capacity = 1024;
  let firstChild = new Int32Array(capacity).fill(-1);
  let nextSibling = new Int32Array(capacity).fill(-1);
  let lastChild = new Int32Array(capacity).fill(-1);
  let char = new Uint16Array(capacity);
  let termAt = new Int32Array(capacity).fill(-1);
  let nodes = 1; // node 0 is the root
  const grow = () => {
    const next = capacity * 2;
    const copy32 = (a: Int32Array) => {
      const b = new Int32Array(next).fill(-1);
      b.set(a);
      return b;
    };
    firstChild = copy32(firstChild);
    nextSibling = copy32(nextSibling);
    lastChild = copy32(lastChild);
    termAt = copy32(termAt);
    const c = new Uint16Array(next);
    c.set(char);
    char = c;
    capacity = next;
  };
  // Sorted input: a term shares a path with its predecessor up to their common prefix, and every new
  // child is the last among its siblings, so the trie is built in one pass with a path stack.
  const path: number[] = [0];
  let previous = "";
  let maxDepth = 0;
  terms.forEach((term, id) => {
    let common = 0;
    while (common < term.length && common < previous.length && term[common] === previous[common]) common++;
    path.length = common + 1;
    for (let i = common; i < term.length; i++) {
      if (nodes >= capacity) grow();
      const parent = path[i] as number;
      const node = nodes++;
      char[node] = term.charCodeAt(i);
      const last = lastChild[parent] as number;
      if (last === -1) firstChild[parent] = node;
      else nextSibling[last] = node;
      lastChild[parent] = node;
      path.push(node);
    }
    termAt[path[term.length] as number] = id;
    if (term.length > maxDepth) maxDepth = term.length;
    previous = term;
  });
  return {
    terms,
    firstChild: firstChild.slice(0, nodes),
    nextSibling: nextSibling.slice(0, nodes),
    char: char.slice(0, nodes),
    termAt: termAt.slice(0, nodes),
    maxDepth,
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
export function termsWithin(trie: TermTrie, query: string, maxEdits: number, backward?: TermTrie): TermHit[] {
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
  for (const hit of walk(backward, reversed(query), maxEdits, span - head, maxEdits - 1)) {
    const id = termId(trie, reversed(backward.terms[hit.term] as string));
    if (id === -1 || seen.has(id)) continue;
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
