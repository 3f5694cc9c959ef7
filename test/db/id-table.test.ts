// IdTable numbers ids found inside COPY lines; the book's read joins owners, deals and accounts by
// these numbers, so two different ids must never share one, whatever their text.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IdTable } from "../../src/db/id-table.ts";

const numberOf = (t: IdTable, id: string) => t.numberOf(`x\t${id}\ty`, 2, 2 + id.length);

describe("IdTable", () => {
  it("numbers each distinct id once, found again inside any line, across growth", () => {
    const table = new IdTable(4); // room for 1024: grows several times on the way
    const ids = Array.from({ length: 20_000 }, () => randomUUID());
    ids.forEach((id, i) => {
      expect(table.add(`${id}\trest`, 0, 36)).toBe(i);
    });
    expect(table.size).toBe(ids.length);
    ids.forEach((id, i) => {
      expect(numberOf(table, id)).toBe(i);
      expect(table.numberOfId(id)).toBe(i);
      expect(table.add(id, 0, 36)).toBe(i);
    });
    expect(numberOf(table, randomUUID())).toBe(-1);
  });

  it("keeps ids that are not lowercase canonical UUIDs exactly, apart from the UUIDs they resemble", () => {
    const table = new IdTable();
    const uuid = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    const lookalikes = [
      uuid.toUpperCase(),
      "0a1b2c3d4-e5f-6789-abcd-ef0123456789", // hyphens elsewhere, same digits
      "0a1b2c3d--e5f6789-abcd-ef0123456789x".slice(0, 36),
      "0a1b2c3d-4e5f-6789-abcd-ef012345678g",
      "acct-1",
      "",
      "Tab\tin\\id",
    ];
    const first = table.add(uuid, 0, uuid.length);
    const numbers = lookalikes.map((id) => table.add(id, 0, id.length));
    expect(new Set([first, ...numbers]).size).toBe(lookalikes.length + 1);
    lookalikes.forEach((id, i) => {
      expect(table.numberOfId(id)).toBe(numbers[i]);
    });
    expect(table.numberOfId(uuid)).toBe(first);
    expect(table.numberOfId("acct-2")).toBe(-1);
  });
});
