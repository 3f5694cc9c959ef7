// Parent accounts before their subsidiaries: imports need it for the foreign key, re-evaluation so
// a subsidiary can follow its parent's new owner. Stable otherwise; a parent outside the list counts
// as a root; a cycle cannot loop forever.
export function parentsFirst<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  parentOf: (item: T) => string | null,
): T[] {
  const byId = new Map(items.map((item) => [idOf(item), item]));
  const depth = new Map<string, number>();
  const depthOf = (id: string, guard = 0): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const item = byId.get(id);
    const parent = item === undefined ? null : parentOf(item);
    const d = parent !== null && byId.has(parent) && guard < 100 ? depthOf(parent, guard + 1) + 1 : 0;
    depth.set(id, d);
    return d;
  };
  return items
    .map((item, index) => ({ item, index, d: depthOf(idOf(item)) }))
    .sort((a, b) => a.d - b.d || a.index - b.index)
    .map((x) => x.item);
}
