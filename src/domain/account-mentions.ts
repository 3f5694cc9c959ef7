// Finds what in a Slack message could name a company: links, e-mail addresses, bare domains, and
// runs of capitalised words ("Globex Corporation", "Acme GmbH"). The lookup then decides which of
// them are accounts; this only proposes, most specific first.

const SLACK_LINK = /<(?:mailto:)?([^>|]+)(?:\|[^>]*)?>/g;
const EMAIL = /[\w.+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi;
const DOMAIN = /\b((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})\b/gi;
const CAPITALISED_RUN = /\b([A-Z][\p{L}\p{N}&'.-]*(?:\s+(?:&\s+)?[A-Z][\p{L}\p{N}&'.-]*){0,4})/gu;

// Sentence-initial words and chat filler that are capitalised without naming a company.
const NOT_A_NAME = new Set([
  "I",
  "We",
  "The",
  "This",
  "That",
  "Hi",
  "Hey",
  "Hello",
  "Thanks",
  "Please",
  "Can",
  "Who",
  "What",
  "Is",
  "Does",
  "Do",
  "FYI",
  "Re",
  "Fwd",
]);

export function findAccountMentions(text: string, limit = 5): string[] {
  const found: string[] = [];
  const add = (value: string) => {
    const v = value.trim().replace(/[.,;:!?]+$/, "");
    if (v && !found.some((f) => f.toLowerCase() === v.toLowerCase())) found.push(v);
  };
  const unwrapped = text.replace(SLACK_LINK, (_, inner: string) => ` ${inner} `);
  for (const m of unwrapped.matchAll(EMAIL)) add(m[0]);
  const withoutEmails = unwrapped.replace(EMAIL, " ");
  for (const m of withoutEmails.matchAll(DOMAIN)) add(m[1] ?? "");
  const withoutDomains = withoutEmails.replace(/\S+:\/\/\S+/g, " ").replace(DOMAIN, " ");
  for (const m of withoutDomains.matchAll(CAPITALISED_RUN)) {
    const words = (m[1] ?? "").split(/\s+/);
    while (words.length > 0 && NOT_A_NAME.has(words[0] ?? "")) words.shift();
    if (words.length > 0) add(words.join(" "));
  }
  return found.slice(0, limit);
}
