// Slack's published Block Kit limits, checked over a whole message or view. Slack rejects a payload
// that breaks any of them, so every builder's output goes through this in tests.
type Json = Record<string, unknown>;

export function blockKitProblems(
  payload: { text?: unknown; blocks?: unknown; type?: unknown; title?: unknown; private_metadata?: unknown },
  surface: "message" | "modal" | "home",
): string[] {
  const problems: string[] = [];
  const blocks = (payload.blocks ?? []) as Json[];
  const maxBlocks = surface === "message" ? 50 : 100;
  if (blocks.length > maxBlocks)
    problems.push(`${blocks.length} blocks (at most ${maxBlocks} in a ${surface})`);
  if (surface === "message" && (typeof payload.text !== "string" || payload.text.trim() === ""))
    problems.push("no text fallback");
  if (surface === "modal") {
    const title = (payload.title as Json | undefined)?.text;
    if (typeof title !== "string" || title.length > 24)
      problems.push(`modal title ${JSON.stringify(title)} (1–24 characters)`);
    if (typeof payload.private_metadata === "string" && payload.private_metadata.length > 3000)
      problems.push("private_metadata over 3000 characters");
  }
  const textLength = (t: unknown) =>
    typeof (t as Json | undefined)?.text === "string" ? ((t as Json).text as string).length : 0;
  const ids = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `blocks[${i}] (${String(block.type)})`;
    if (typeof block.block_id === "string") {
      if (block.block_id.length > 255) problems.push(`${at}: block_id over 255`);
      if (ids.has(block.block_id)) problems.push(`${at}: duplicate block_id ${block.block_id}`);
      ids.add(block.block_id);
    }
    if (block.type === "section") {
      if (textLength(block.text) > 3000) problems.push(`${at}: text over 3000`);
      const fields = (block.fields ?? []) as Json[];
      if (fields.length > 10) problems.push(`${at}: more than 10 fields`);
      for (const f of fields) if (textLength(f) > 2000) problems.push(`${at}: field over 2000`);
      if (!block.text && fields.length === 0) problems.push(`${at}: section with neither text nor fields`);
    }
    if (block.type === "header" && textLength(block.text) > 150) problems.push(`${at}: header over 150`);
    if (block.type === "context") {
      const elements = (block.elements ?? []) as Json[];
      if (elements.length > 10) problems.push(`${at}: more than 10 context elements`);
      for (const e of elements) if (textLength(e) > 3000) problems.push(`${at}: context text over 3000`);
    }
    const elements =
      block.type === "actions"
        ? ((block.elements ?? []) as Json[])
        : block.accessory
          ? [block.accessory as Json]
          : [];
    if (block.type === "actions" && elements.length > 25) problems.push(`${at}: more than 25 elements`);
    if (block.type === "input" && block.element) elements.push(block.element as Json);
    for (const e of elements) {
      if (typeof e.action_id === "string" && e.action_id.length > 255)
        problems.push(`${at}: action_id over 255`);
      if (e.type === "button") {
        if (textLength(e.text) > 75) problems.push(`${at}: button text over 75`);
        if (typeof e.value === "string" && e.value.length > 2000)
          problems.push(`${at}: button value over 2000`);
      }
      const options = (e.options ?? []) as Json[];
      if (options.length > 100) problems.push(`${at}: more than 100 options`);
      for (const o of options) if (textLength(o.text) > 75) problems.push(`${at}: option text over 75`);
    }
  });
  return problems;
}
