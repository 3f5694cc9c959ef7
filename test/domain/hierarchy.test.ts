import { describe, expect, it } from "vitest";
import { parentsFirst } from "../../src/domain/hierarchy.ts";

type Node = { id: string; parent: string | null };
const order = (nodes: Node[]) =>
  parentsFirst(
    nodes,
    (n) => n.id,
    (n) => n.parent,
  ).map((n) => n.id);

describe("parentsFirst", () => {
  it.each([
    [
      [
        { id: "sub", parent: "top" },
        { id: "top", parent: null },
      ],
      ["top", "sub"],
    ],
    [
      [
        { id: "c", parent: "b" },
        { id: "b", parent: "a" },
        { id: "a", parent: null },
        { id: "x", parent: null },
      ],
      ["a", "x", "b", "c"],
    ],
    [
      [
        { id: "orphan", parent: "elsewhere" },
        { id: "root", parent: null },
      ],
      ["orphan", "root"],
    ],
  ])("orders %j", (nodes, expected) => {
    expect(order(nodes as Node[])).toEqual(expected);
  });

  it("terminates on a cycle and keeps every item", () => {
    const nodes = [
      { id: "a", parent: "b" },
      { id: "b", parent: "a" },
    ];
    expect(order(nodes).sort()).toEqual(["a", "b"]);
  });
});
