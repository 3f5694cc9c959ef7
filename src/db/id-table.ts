// Ids found in a line of COPY text, numbered without making a string of them. Reading the whole book
// joins a million account ids three ways (owners, open deals, accounts); as strings in Maps that cost
// about 3 s at 1M accounts (a string, its hash and a map entry each, all surviving into the old
// generation), as 128-bit numbers in typed arrays a fraction of it. Ids are Prisma's uuid(): lowercase
// canonical UUIDs. Any other id (imported by hand, say) is kept exactly, in a Map.

const NONE = -1;
const HYPHEN = 45;
/** Where a canonical UUID has its hyphens. */
const HYPHENS = [8, 13, 18, 23];

/** Each distinct id gets the next number from 0, so callers keep what they know of it in arrays. */
export class IdTable {
  /** The ids' 128 bits, four 32-bit words per number. */
  private words: Uint32Array<ArrayBuffer>;
  /** Open addressing: a slot holds the id's number, or NONE. */
  private slots: Int32Array<ArrayBuffer>;
  private readonly others = new Map<string, number>();
  private count = 0;
  // The id last parsed by uuidAt.
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;

  /** Room for `expected` ids before the table has to grow (and rehash what it holds). */
  constructor(expected = 1024) {
    const room = Math.max(1024, Math.ceil(expected));
    this.words = new Uint32Array(4 * room);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * room))).fill(NONE);
  }

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
    // 32 digits in four words of eight; the hyphens, at their four places only, are skipped.
    let word = 0;
    let digits = 0;
    for (let i = start; i < end; i++) {
      const c = line.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c === HYPHEN && HYPHENS.includes(i - start)) continue;
      else return false;
      // Multiplying keeps the word a positive number up to 2^32 - 1 (a shift would make it signed).
      word = word * 16 + d;
      digits++;
      if ((digits & 7) === 0) {
        if (digits === 8) this.w0 = word;
        else if (digits === 16) this.w1 = word;
        else if (digits === 24) this.w2 = word;
        else this.w3 = word;
        word = 0;
      }
    }
    return digits === 32;
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
