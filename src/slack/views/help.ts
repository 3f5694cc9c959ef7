import { context, type Message, section } from "./blocks.ts";

export const OWNER_USAGE = [
  "*`/owner <company | domain | e-mail | CRM id>`* — who owns the account, and why",
  "*`/owner why <account>`* — the rule trail and ownership history in plain language",
  "*`/owner dispute <account>`* — that account should be yours? File a dispute for the arbiter",
  "*`/owner disputes`* — your open disputes and, for arbiters, the queue",
  "*`/owner help`* — this message",
].join("\n");

export function ownerHelp(): Message {
  return {
    text: "Turf answers who owns an account, and why. Try /owner acme.com, /owner Acme GmbH or /owner 001… (a CRM id).",
    blocks: [
      section("*Turf* answers who owns an account, and why."),
      section(OWNER_USAGE),
      context(
        "Names are matched fuzzily: typos, legal suffixes (Inc, GmbH…), sub-domains, URLs and e-mail addresses all work.",
      ),
    ],
  };
}
