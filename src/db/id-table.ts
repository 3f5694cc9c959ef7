// Ids found in a line of COPY text, numbered without making a string of them. Reading the whole book
// joins a million account ids three ways (owners, open deals, accounts); as strings in Maps that cost
// about 3 s at 1M accounts (a string, its hash and a map entry each, all surviving into the old
// generation), as 128-bit numbers in typed arrays a fraction of it. Ids are Prisma's uuid(): lowercase
// canonical UUIDs. Any other id (imported by hand, say) is kept exactly, in a Map.

const NONE = -1;
const HYPHEN = 45;

/** Each distinct id gets the next number from 0, so callers keep what they know of it in arrays. */
export class IdTable {
  /** The ids' 128 bits, four 32-bit words per number. */
  private words = new Uint32Array(4 * 1024);
  /** Open addressing: a slot holds the id's number, or NONE. */
  private slots = new Int32Array(2048).fill(NONE);
  private readonly others = new Map<string, number>();
  private count = 0;
  // The id last parsed by uuidAt.
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;

  get size(): number {
    return this.count;
  }

  /** The number of the id in line[start, end), given one if it has none yet. */
  add(line: string, start: number, end: number): number {
    if (!this.uuidAt(line, start, end)) {
      const id = line.slice(start, end);
      let n = this.others.get(id);
      if (n === undefined) {
        n = this.count++;
        this.others.set(id, n);
      }
      return n;
    }
    const slot = this.find();
    const known = this.slots[slot] as number;
    if (known !== NONE) return known;
    const n = this.count++;
    if (4 * n + 4 > this.words.length) {
      const words = new Uint32Array(this.words.length * 2);
      words.set(this.words);
      this.words = words;
    }
    const at = 4 * n;
    this.words[at] = this.w0;
    this.words[at + 1] = this.w1;
    this.words[at + 2] = this.w2;
    this.words[at + 3] = this.w3;
    this.slots[slot] = n;
    // At most half full, so a probe ends soon.
    if (2 * (this.count - this.others.size) > this.slots.length) this.grow();
    return n;
  }

  /** The number of the id in line[start, end), or -1 when it has none. */
  numberOf(line: string, start: number, end: number): number {
    if (!this.uuidAt(line, start, end)) return this.others.get(line.slice(start, end)) ?? NONE;
    return this.slots[this.find()] as number;
  }

  /** The id as a whole string (the caller has it as a string already: no parse needed). */
  numberOfId(id: string): number {
    return this.numberOf(id, 0, id.length);
  }

  /** Parses a lowercase canonical UUID into w0..w3; false when the text is anything else. */
  private uuidAt(line: string, start: number, end: number): boolean {
    if (end - start !== 36) return false;
    if (
      line.charCodeAt(start + 8) !== HYPHEN ||
      line.charCodeAt(start + 13) !== HYPHEN ||
      line.charCodeAt(start + 18) !== HYPHEN ||
      line.charCodeAt(start + 23) !== HYPHEN
    )
      return false;
    const a = hex8(line, start);
    const b1 = hex4(line, start + 9);
    const b2 = hex4(line, start + 14);
    const c1 = hex4(line, start + 19);
    const c2 = hex4(line, start + 24);
    const d = hex8(line, start + 28);
    if (a < 0 || b1 < 0 || b2 < 0 || c1 < 0 || c2 < 0 || d < 0) return false;
    this.w0 = a;
    this.w1 = b1 * 0x10000 + b2;
    this.w2 = c1 * 0x10000 + c2;
    this.w3 = d;
    return true;
  }

  /** The slot of the parsed id: where it is, or the empty slot where it would go. */
  private find(): number {
    const mask = this.slots.length - 1;
    let slot = (Math.imul(this.w0 ^ this.w3, 0x9e3779b1) ^ this.w1 ^ this.w2) & mask;
    for (;;) {
      const n = this.slots[slot] as number;
      if (n === NONE) return slot;
      const at = 4 * n;
      const w = this.words;
      if (w[at] === this.w0 && w[at + 1] === this.w1 && w[at + 2] === this.w2 && w[at + 3] === this.w3)
        return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(NONE);
    for (const n of old) {
      if (n === NONE) continue;
      const at = 4 * n;
      this.w0 = this.words[at] as number;
      this.w1 = this.words[at + 1] as number;
      this.w2 = this.words[at + 2] as number;
      this.w3 = this.words[at + 3] as number;
      this.slots[this.find()] = n;
    }
  }
}

/** Four lowercase hex digits as a number, or -1. */
function hex4(line: string, at: number): number {
  let n = 0;
  for (let i = at; i < at + 4; i++) {
    const d = HEX[line.charCodeAt(i)] ?? -1;
    if (d < 0) return -1;
    n = (n << 4) | d;
  }
  return n;
}

/** Eight lowercase hex digits as a number (up to 2^32 - 1), or -1. */
function hex8(line: string, at: number): number {
  const high = hex4(line, at);
  const low = hex4(line, at + 4);
  if (high < 0 || low < 0) return -1;
  return high * 0x10000 + low;
}

/** The value of each lowercase hex digit by character code; -1 for any other character. */
const HEX = new Int8Array(128).fill(-1);
for (let d = 0; d < 10; d++) HEX[48 + d] = d;
for (let d = 0; d < 6; d++) HEX[97 + d] = 10 + d;
