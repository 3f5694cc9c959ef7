// A bench's command-line argument, shared by the benches that take one.
/**
 * The bench's number argument (a book size, a duration): the first argument that is not a flag, as
 * npm run bench hands every bench its flags (--large) too; `fallback` when there is none.
 */
export function numberArgument(fallback: number, what: string): number {
  const given = process.argv.slice(2).find((a) => !a.startsWith("--"));
  const n = Number(given ?? fallback);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${what} must be a positive whole number, not "${given}"`);
  return n;
}
