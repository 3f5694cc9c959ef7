import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { orderedId } from "../../src/db/ordered-ids.ts";

describe("the ids an import gives new rows", () => {
  it("are version 7 UUIDs, each greater than the one before, thousands in a millisecond included", () => {
    const ids = Array.from({ length: 20_000 }, () => orderedId());
    for (const id of ids) expect(z.uuid({ version: "v7" }).safeParse(id).success, id).toBe(true);
    for (let i = 1; i < ids.length; i++) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  afterEach(() => vi.restoreAllMocks());

  it("keep growing when the clock stands still or steps back, and carry the time they were made", () => {
    // Later than any id made so far in this process (ids never go back, so an earlier time would not show).
    const at = Date.now() + 3_600_000;
    const clock = vi.spyOn(Date, "now").mockReturnValue(at);
    const ids = Array.from({ length: 1000 }, () => orderedId());
    clock.mockReturnValue(at - 60_000);
    ids.push(...Array.from({ length: 1000 }, () => orderedId()));
    for (let i = 1; i < ids.length; i++) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
    // The first 48 bits are the millisecond (RFC 9562): the clock's, never the one it stepped back to.
    const msecs = (id: string) => Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
    expect(msecs(ids[0] as string)).toBe(at);
    expect(msecs(ids[1999] as string)).toBeGreaterThanOrEqual(at);
  });
});
