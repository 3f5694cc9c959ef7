// `/rebalance preview [quarter]` and `/rebalance help`, read into a request the listener switches on.
export type RebalanceRequest =
  | { kind: "help" }
  | { kind: "preview"; quarter?: string }
  | { kind: "unknown"; text: string };

export function parseRebalanceCommand(text: string): RebalanceRequest {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb, ...rest] = words;
  if (!verb || verb.toLowerCase() === "help") return { kind: "help" };
  if (verb.toLowerCase() === "preview") {
    const quarter = rest.join(" ").trim();
    return quarter ? { kind: "preview", quarter } : { kind: "preview" };
  }
  return { kind: "unknown", text: text.trim() };
}

export const REBALANCE_USAGE = [
  "*/rebalance preview* drafts next quarter's rebalance and opens it for review; nothing changes until you press *Publish*.",
  "*/rebalance preview FY2027-Q2* drafts for a named quarter (it must not have started: moves only take effect on a quarter's first day).",
  "Publishing posts one memo to the rebalancing channel and DMs every affected rep the accounts they gain and lose, with the four-factor scores.",
].join("\n");
