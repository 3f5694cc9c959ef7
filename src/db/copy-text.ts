// PostgreSQL's COPY text format, both ways: rows are lines, fields are separated by tabs, \N is null,
// and a backslash escapes tab, newline, carriage return and itself. Bulk reads and writes of the whole
// book go through COPY because it skips the per-row protocol and row-object work of a query (a
// million accounts: about 1 s by COPY against ten through Prisma's row mapping).

export type CopyField = string | null;

const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/** One field of a COPY text line, unescaped (\N is null). */
export function copyField(field: string): CopyField {
  if (field === "\\N") return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

/**
 * The rows of COPY text arriving in chunks, a page of rows at a time; a row split across two chunks is
 * joined first. Holds one chunk and one page, never the whole output.
 */
export async function* copyRows(
  chunks: AsyncIterable<Uint8Array>,
  pageSize: number,
): AsyncGenerator<CopyField[][]> {
  let page: CopyField[][] = [];
  for await (const lines of copyLines(chunks)) {
    for (const line of lines) {
      page.push(line.split("\t").map(copyField));
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
  }
  if (page.length > 0) yield page;
}

const NEWLINE = 0x0a;

/**
 * The lines of COPY text arriving in chunks of UTF-8, the whole lines of each chunk at once (a line
 * split across two chunks is joined first; a newline byte is never part of a longer character); a
 * step of an async loop per line would cost more than the line's parse. Each line is decoded on its
 * own: a row kept after its page (a change, a held account) keeps its line alive, not a whole chunk
 * of text, which would otherwise outlive the young generation and be copied into the old one.
 */
export async function* copyLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  // The start of a line split across chunks, in parts: a long line (a list of ids) can span many
  // chunks, and joining it once, when it ends, copies it once.
  let rest: Buffer[] = [];
  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: string[] = [];
    let start = 0;
    if (rest.length > 0) {
      // Only the line split across the chunks is joined, not the whole chunk.
      const end = bytes.indexOf(NEWLINE);
      if (end === -1) {
        rest.push(Buffer.from(bytes));
        continue;
      }
      rest.push(bytes.subarray(0, end));
      lines.push(Buffer.concat(rest).toString("utf8"));
      rest = [];
      start = end + 1;
    }
    for (;;) {
      const end = bytes.indexOf(NEWLINE, start);
      if (end === -1) break;
      lines.push(bytes.toString("utf8", start, end));
      start = end + 1;
    }
    // A copy: the driver may reuse the chunk's memory once it has been handed on.
    if (start < bytes.length) rest.push(Buffer.from(bytes.subarray(start)));
    if (lines.length > 0) yield lines;
  }
  if (rest.length > 0) yield [Buffer.concat(rest).toString("utf8")];
}

type Cell = string | number | boolean | Date | null | undefined;

function escapeCell(value: Cell): string {
  if (value === null || value === undefined) return "\\N";
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : text;
}

/** Rows as COPY text, for `COPY … FROM STDIN`. */
export function toCopyText(rows: readonly (readonly Cell[])[]): string {
  let out = "";
  for (const row of rows) out += `${row.map(escapeCell).join("\t")}\n`;
  return out;
}
