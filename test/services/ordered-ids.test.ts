import { describe, expect, it } from "vitest";
import { z } from "zod";
import { orderedId } from "../../src/db/ordered-ids.ts";

describe("the ids an import gives new rows", () => {
  it("are version 7 UUIDs, each greater than the one before, thousands in a millisecond included", () => {
    const ids = Array.from({ length: 20_000 }, () => orderedId());
    for (const id of ids) expect(z.uuid({ version: "v7" }).safeParse(id).success, id).toBe(true);
    for (let i = 1; i < ids.length; i++) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
