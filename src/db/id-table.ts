// Ids found in a line of COPY text, numbered without making a string of them. Reading the whole book
// joins a million account ids three ways (owners, open deals, accounts); with the ids as strings in
// Maps (a string, its hash and a map entry each, all surviving into the old generation) the read took
// about twice the CPU at 1M accounts. Ids are Prisma's uuid(): lowercase canonical UUIDs, kept here
// as their 128 bits in one typed array. Any other id (imported by hand, say) is kept exactly, in a Map.

const NONE = -1;
const EMPTY = 0;
const HYPHEN = 45;

/** Each distinct id gets the next number from 0, so callers keep what they know of it in arrays. */
export class IdTable {
  /**
   * Open addressing, SLOT numbers a slot: the id's number plus one (0: empty, so a new array is an
   * empty table) and its 128 bits as four 32-bit words (signed, as uuidAt makes them), side by side so
   * that a lookup reads one place.
   */
  private slots: Int32Array<ArrayBuffer>;
  private readonly others = new Map<string, number>();
  private count = 0;
  private uuids = 0;
  // The id last parsed by uuidAt.
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;
  // Negative once uuidAt met a character that is not a lowercase hex digit.
  private bad = 0;

  /** Room for `expected` ids before the table has to grow (and rehash what it holds). */
  constructor(expected = 1024) {
    const room = Math.max(1024, Math.ceil(expected));
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * room)) * SLOT);
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
    const at = this.find();
    const known = this.slots[at] as number;
    if (known !== EMPTY) return known - 1;
    const n = this.count++;
    this.put(at, n);
    // At most half full, so a probe ends soon.
    if (2 * ++this.uuids > this.slots.length / SLOT) this.grow();
    return n;
  }

  /** The number of the id in line[start, end), or -1 when it has none. */
  numberOf(line: string, start: number, end: number): number {
    if (!this.uuidAt(line, start, end)) return this.others.get(line.slice(start, end)) ?? NONE;
    return (this.slots[this.find()] as number) - 1;
  }

  /** The number of the id (a whole string), or -1 when it has none. */
  numberOfId(id: string): number {
    return this.numberOf(id, 0, id.length);
  }

  /** Parses a lowercase canonical UUID into w0..w3; false when the text is anything else. */
  private uuidAt(line: string, start: number, end: number): boolean {
    if (end - start !== 36) return false;
    const at = start;
    if (
      line.charCodeAt(at + 8) !== HYPHEN ||
      line.charCodeAt(at + 13) !== HYPHEN ||
      line.charCodeAt(at + 18) !== HYPHEN ||
      line.charCodeAt(at + 23) !== HYPHEN
    )
      return false;
    // Four 32-bit words of eight digits each (as signed integers: shifts stay in V8's fast ints); a
    // character that is not a lowercase hex digit reads as -1, which `bad` keeps.
    this.bad = 0;
    this.w0 = this.hex(line, at, at + 8, 0);
    this.w1 = this.hex(line, at + 14, at + 18, this.hex(line, at + 9, at + 13, 0));
    this.w2 = this.hex(line, at + 24, at + 28, this.hex(line, at + 19, at + 23, 0));
    this.w3 = this.hex(line, at + 28, at + 36, 0);
    return this.bad >= 0;
  }

  /** `w` followed by the hex digits of line[from, to), four bits each; a bad digit marks `bad`. */
  private hex(line: string, from: number, to: number, w: number): number {
    for (let i = from; i < to; i++) {
      const d = HEX[line.charCodeAt(i)] as number;
      this.bad |= d;
      w = (w << 4) | d;
    }
    return w;
  }

  /** Where the parsed id's slot starts: the slot that holds it, or the empty one where it would go. */
  private find(): number {
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    let slot = (Math.imul(this.w0 ^ this.w3, 0x9e3779b1) ^ this.w1 ^ this.w2) & mask;
    for (;;) {
      const at = slot * SLOT;
      if (slots[at] === EMPTY) return at;
      if (
        slots[at + 1] === this.w0 &&
        slots[at + 2] === this.w1 &&
        slots[at + 3] === this.w2 &&
        slots[at + 4] === this.w3
      )
        return at;
      slot = (slot + 1) & mask;
    }
  }

  private put(at: number, n: number): void {
    const slots = this.slots;
    slots[at] = n + 1;
    slots[at + 1] = this.w0;
    slots[at + 2] = this.w1;
    slots[at + 3] = this.w2;
    slots[at + 4] = this.w3;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let at = 0; at < old.length; at += SLOT) {
      const n = (old[at] as number) - 1;
      if (n === NONE) continue;
      this.w0 = old[at + 1] as number;
      this.w1 = old[at + 2] as number;
      this.w2 = old[at + 3] as number;
      this.w3 = old[at + 4] as number;
      this.put(this.find(), n);
    }
  }
}

/** Int32s per slot: the number, then the id's four words. */
const SLOT = 5;

/** The value of each lowercase hex digit by UTF-16 code unit; -1 for any other. */
const HEX = new Int32Array(65536).fill(-1);
for (let d = 0; d < 10; d++) HEX[48 + d] = d;
for (let d = 0; d < 6; d++) HEX[97 + d] = 10 + d;
