// What a rep typed after /owner: a CRM id, something with a domain in it, or a company name.

import { parse } from "tldts";
import { companyNameTokens, companyNameWords } from "./normalize.ts";

export type LookupQuery =
  | { kind: "crm_id"; crmId: string }
  | { kind: "domain"; domain: string }
  | { kind: "free_mail"; domain: string }
  | {
      kind: "name";
      normalized: string;
      /** The identifying words ("marks spencer"), as the book's names are normalized. */
      tokens: string[];
      /** The words as typed, fillers kept ("marks annd spencer"): a typo of a filler is still a filler. */
      words: string[];
    }
  | { kind: "empty" };

/**
 * Salesforce ids (15 or 18 characters; a digit is required so that a long one-word company
 * name is not taken for an id) and "ACC-123" style ids.
 */
export const DEFAULT_CRM_ID_PATTERNS: readonly RegExp[] = [
  /^(?=[0-9A-Za-z]*[0-9])[0-9A-Za-z]{15}$/,
  /^(?=[0-9A-Za-z]*[0-9])[0-9A-Za-z]{18}$/,
  /^ACC-\d+$/i,
];

/**
 * Mailbox providers whose addresses say nothing about the sender's company. Only an e-mail
 * address is judged by this list: a bare "yahoo.com" may well mean Yahoo the company.
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "yahoo.co.uk",
  "yahoo.fr",
  "yahoo.de",
  "yahoo.co.jp",
  "yahoo.com.br",
  "ymail.com",
  "rocketmail.com",
  "outlook.com",
  "outlook.fr",
  "hotmail.com",
  "hotmail.co.uk",
  "hotmail.fr",
  "hotmail.de",
  "hotmail.it",
  "live.com",
  "live.co.uk",
  "live.fr",
  "msn.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "mail.com",
  "yandex.ru",
  "yandex.com",
  "mail.ru",
  "zoho.com",
  "fastmail.com",
  "hey.com",
  "tutanota.com",
  "tuta.io",
  "qq.com",
  "163.com",
  "126.com",
  "naver.com",
  "daum.net",
  "free.fr",
  "orange.fr",
  "laposte.net",
  "libero.it",
  "t-online.de",
  "btinternet.com",
  "comcast.net",
  "verizon.net",
  "att.net",
  "sbcglobal.net",
  "rediffmail.com",
  "seznam.cz",
  "wp.pl",
  "o2.pl",
  "inbox.com",
  "bigpond.com",
  "shaw.ca",
  "rogers.com",
]);

export type ParseOptions = {
  crmIdPatterns?: readonly RegExp[];
  freeMailDomains?: ReadonlySet<string>;
};

const EMAIL = /^[^\s@<>]+@([^\s@<>]+\.[^\s@<>]+)$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HOST_LIKE = /^[\p{L}\p{N}.-]+\.[\p{L}]{2,}(:\d+)?([/?#].*)?$/u;

/** Slack sends links as <https://acme.com|acme.com> and e-mails as <mailto:jane@acme.com|…>. */
function unwrapSlackMarkup(raw: string): string {
  return raw.replace(/<(?:mailto:)?([^>|]+)(?:\|[^>]*)?>/g, "$1");
}

function registrableIcannDomain(host: string): string | null {
  const parsed = parse(host.toLowerCase());
  if (parsed.isIp || parsed.isIcann !== true) return null;
  return parsed.domain;
}

export function parseLookupQuery(raw: string, options: ParseOptions = {}): LookupQuery {
  const patterns = options.crmIdPatterns ?? DEFAULT_CRM_ID_PATTERNS;
  const freeMail = options.freeMailDomains ?? FREE_MAIL_DOMAINS;
  const text = unwrapSlackMarkup(raw)
    .trim()
    .replace(/^["'“‘(]+|["'”’)?!,;:]+$/g, "")
    .trim();
  if (text.length === 0) return { kind: "empty" };

  if (patterns.some((p) => p.test(text))) return { kind: "crm_id", crmId: text };

  if (!/\s/.test(text)) {
    const email = EMAIL.exec(text.replace(/^mailto:/i, ""));
    if (email?.[1] !== undefined) {
      const domain = registrableIcannDomain(email[1]);
      if (domain !== null) {
        return freeMail.has(domain) ? { kind: "free_mail", domain } : { kind: "domain", domain };
      }
    }
    if (URL_SCHEME.test(text) || HOST_LIKE.test(text)) {
      const domain = registrableIcannDomain(text);
      if (domain !== null) return { kind: "domain", domain };
    }
  }

  const tokens = companyNameTokens(text);
  if (tokens.length === 0) return { kind: "empty" };
  return { kind: "name", normalized: tokens.join(" "), tokens, words: companyNameWords(text) };
}
