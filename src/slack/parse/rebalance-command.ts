// `/rebalance preview [quarter]` and `/rebalance help`, read into a request the listener switches on.
export type RebalanceRequest =
  | { kind: "help" }
  | { kind: "preview"; quarter?: string; force: boolean }
  | { kind: "unknown"; text: string };

export function parseRebalanceCommand(text: string): RebalanceRequest {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb, ...rest] = words;
  if (!verb || verb.toLowerCase() === "help") return { kind: "help" };
  if (verb.toLowerCase() === "preview") {
    // "force" (or "anyway") drafts even below the guide's trigger; the rest names the quarter.
    const force = rest.some((w) => /^(force|anyway)$/i.test(w));
    const quarter = rest
      .filter((w) => !/^(force|anyway)$/i.test(w))
      .join(" ")
      .trim();
    return quarter ? { kind: "preview", quarter, force } : { kind: "preview", force };
  }
  return { kind: "unknown", text: text.trim() };
}

export const REBALANCE_USAGE = [
  "*/rebalance preview* drafts next quarter's rebalance and opens it for review; nothing changes until you press *Publish*.",
  "*/rebalance preview FY2027-Q2* drafts for a named quarter (it must not have started: moves only take effect on a quarter's first day).",
  "When pipeline coverage varies less than the guide's 25 % trigger, the preview says no rebalance is needed; *`/rebalance preview force`* drafts one anyway.",
  "Publishing posts one memo to the rebalancing channel and DMs every affected rep the accounts they gain and lose, with the four-factor scores.",
].join("\n");
