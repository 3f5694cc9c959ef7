// What follows /owner: a sub-command or an account to look up.
export type OwnerCommand =
  | { kind: "help" }
  | { kind: "lookup"; query: string }
  | { kind: "why"; query: string }
  | { kind: "dispute"; query: string }
  | { kind: "disputes" };

export function parseOwnerCommand(text: string): OwnerCommand {
  const trimmed = text.trim();
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const remainder = rest.join(" ");
  switch (first.toLowerCase()) {
    case "":
    case "help":
    case "?":
      return rest.length === 0 ? { kind: "help" } : { kind: "lookup", query: trimmed };
    case "why":
      return remainder ? { kind: "why", query: remainder } : { kind: "help" };
    case "dispute":
      return { kind: "dispute", query: remainder };
    case "disputes":
      return rest.length === 0 ? { kind: "disputes" } : { kind: "lookup", query: trimmed };
    default:
      return { kind: "lookup", query: trimmed };
  }
}

/** "who owns acme.com?" → "acme.com"; the @-mention itself is dropped. */
export function queryFromMention(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+>/g, " ")
    .replace(/^\s*(hey|hi|hello)?[,\s]*/i, "")
    .replace(/^\s*who\s+owns\s+/i, "")
    .replace(/^\s*owner\s+of\s+/i, "")
    .replace(/[?!.\s]+$/, "")
    .trim();
}
