// How a word typed in a hurry differs from the word meant. Two slips of the fingers (a neighbouring
// key, a letter doubled or dropped, two letters swapped) garble a word; two unrelated changes make a
// different one: "Tlwkom" is Telekom mistyped, "Cypress" is not Express.

// QWERTY rows; each row sits half a key to the right of the one above it.
const ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

const NEIGHBOURS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  ROWS.forEach((row, r) => {
    for (let c = 0; c < row.length; c++) {
      const near = [
        row[c - 1],
        row[c + 1],
        ROWS[r - 1]?.[c],
        ROWS[r - 1]?.[c + 1],
        ROWS[r + 1]?.[c - 1],
        ROWS[r + 1]?.[c],
      ];
      map.set(row[c] as string, near.filter((k): k is string => k !== undefined).join(""));
    }
  });
  return map;
})();

/** Whether two keys sit next to each other on a QWERTY keyboard. */
export function neighbouringKeys(a: string, b: string): boolean {
  return NEIGHBOURS.get(a)?.includes(b) ?? false;
}

/**
 * The fewest slips of the fingers that turn `meant` into `typed`, at most `budget` of them and at most
 * `drops` dropped letters, or null. A slip is: a key next to the right one; a letter left out; an
 * extra letter that doubles the one before it or sits next to it or to the letter meant; two letters
 * swapped.
 */
export function fingerSlips(typed: string, meant: string, budget: number, drops = 1): number | null {
  return slipsFrom(typed, meant, 0, 0, budget, drops);
}

function slipsFrom(
  typed: string,
  meant: string,
  from: number,
  meantFrom: number,
  budget: number,
  drops: number,
): number | null {
  let t = from;
  let m = meantFrom;
  while (t < typed.length && m < meant.length && typed[t] === meant[m]) {
    t++;
    m++;
  }
  if (t === typed.length && m === meant.length) return 0;
  if (budget === 0) return null;
  const typedKey = typed[t];
  const meantKey = meant[m];
  let best: number | null = null;
  const after = (nextTyped: number, nextMeant: number, dropsLeft: number) => {
    const rest = slipsFrom(typed, meant, nextTyped, nextMeant, budget - 1, dropsLeft);
    if (rest !== null && (best === null || rest + 1 < best)) best = rest + 1;
  };
  if (typedKey !== undefined && meantKey !== undefined) {
    if (typed[t + 1] === meantKey && meant[m + 1] === typedKey) after(t + 2, m + 2, drops);
    if (neighbouringKeys(typedKey, meantKey)) after(t + 1, m + 1, drops);
  }
  if (meantKey !== undefined && drops > 0) after(t, m + 1, drops - 1);
  if (typedKey !== undefined) {
    const around = [typed[t - 1], meantKey].filter((k): k is string => k !== undefined);
    if (around.some((k) => k === typedKey || neighbouringKeys(k, typedKey))) after(t + 1, m, drops);
  }
  return best;
}
