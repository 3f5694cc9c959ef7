// Company names as reps type them and as the CRM stores them differ in case, accents,
// punctuation and legal form. Everything here reduces a name to a canonical key so that
// "Nestlé S.A.", "nestle sa" and "NESTLE" meet, while the words that tell companies apart stay.

import { getDomain, parse } from "tldts";
import type { Account } from "../model.ts";

/** Legal forms dropped from the end of a name. Multi-word forms are matched before single tokens. */
export const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  "inc",
  "incorporated",
  "llc",
  "llp",
  "lp",
  "ltd",
  "limited",
  "gmbh",
  "mbh",
  "ag",
  "kg",
  "kgaa",
  "sa",
  "sas",
  "sarl",
  "spa",
  "srl",
  "sl",
  "sca",
  "sab",
  "saa",
  "sae",
  "bv",
  "nv",
  "plc",
  "pty",
  "pte",
  "co",
  "corp",
  "corporation",
  "company",
  "kk",
  "oy",
  "oyj",
  "ab",
  "publ",
  "as",
  "asa",
  "aps",
  "se",
  "ltda",
  "pvt",
  "private",
  "bhd",
  "sdn",
  "tbk",
  "pjsc",
  "ojsc",
  "jsc",
  "ulc",
  "nl",
  "cv",
  "ek",
]);

const MULTI_WORD_SUFFIXES: readonly string[][] = [
  ["sab", "de", "cv"],
  ["sa", "de", "cv"],
  ["s", "de", "rl"],
  ["gmbh", "and", "co", "kg"],
  ["gmbh", "co", "kg"],
  ["co", "kg"],
];

/** Words that carry no identity of their own: "The Home Depot", "Procter & Gamble". */
export const FILLER_WORDS: ReadonlySet<string> = new Set(["the", "and"]);

/**
 * Trailing words that name a corporate shape rather than a company: "Goldman Sachs Group",
 * "Marriott International". Dropped only for the core key, never from the normalized name.
 */
export const WEAK_TRAILING_WORDS: ReadonlySet<string> = new Set([
  "group",
  "holding",
  "holdings",
  "companies",
  "international",
  "worldwide",
]);

/**
 * Words that say what a company does, not which company it is. A book counts a word as common once
 * many names have it (commonWordThreshold), but a smaller book, or one with few companies of an
 * industry, has "Technologies" in three names: without this list "Zebra Technologies" would be asked
 * back as Dell, Uber or Slack Technologies. Like a common word, one of these never brings a name in
 * alone (search-index.ts); it still tells apart names that share a distinctive word ("Quillfield
 * Data" from "Quillfield Labs"), and where the book has it in few names it may still vouch for a
 * slip elsewhere in the name (rank.ts), as the one name that has it is the likelier one meant.
 */
export const INDUSTRY_WORDS: ReadonlySet<string> = new Set([
  "aerospace",
  "airlines",
  "analytics",
  "automotive",
  "bank",
  "biotech",
  "brands",
  "capital",
  "chemicals",
  "communications",
  "consulting",
  "data",
  "devices",
  "digital",
  "electronics",
  "energy",
  "engineering",
  "enterprises",
  "entertainment",
  "finance",
  "financial",
  "foods",
  "health",
  "healthcare",
  "industries",
  "insurance",
  "investments",
  "labs",
  "laboratories",
  "logistics",
  "manufacturing",
  "materials",
  "media",
  "medical",
  "motors",
  "networks",
  "partners",
  "pharma",
  "pharmaceuticals",
  "products",
  "properties",
  "resources",
  "retail",
  "semiconductor",
  "semiconductors",
  "services",
  "software",
  "solutions",
  "systems",
  "tech",
  "technologies",
  "technology",
  "telecom",
  "therapeutics",
  "ventures",
]);

/** Words skipped when forming an acronym ("Bank of America" is "BA", as the CRM spells it out). */
const ACRONYM_SKIP: ReadonlySet<string> = new Set([
  "of",
  "de",
  "du",
  "der",
  "la",
  "le",
  "el",
  "for",
  "y",
  "und",
  "et",
]);

// Letters NFKD does not decompose, so accent folding alone would leave them.
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: "ss",
  ø: "o",
  æ: "ae",
  œ: "oe",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};

export function foldAccents(text: string): string {
  return text
    .toLowerCase()
    .replace(/[ßøæœłđðþı]/g, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "");
}

const WEB_SUFFIX = /\.(com|net|org|io)\b/;

function canonicalWords(name: string, keepWebSuffix = false): string[] {
  let s = foldAccents(name);
  // "Amazon.com, Inc." is Amazon; the web suffix is branding, not identity.
  s = s.replace(new RegExp(WEB_SUFFIX, "g"), keepWebSuffix ? "$1" : " ");
  // Dotted or slashed single letters are one abbreviation: S.p.A., J.P., A/S, U.S.
  s = s.replace(/\b([a-z0-9])(?:[./]([a-z0-9])\b)+\.?/g, (m) => m.replace(/[./]/g, ""));
  // AT&T, P&G, H&M: an ampersand inside a short run of letters is part of the name.
  s = s.replace(/\b([a-z0-9]{1,2})&([a-z0-9]{1,2})\b/g, "$1$2");
  s = s.replace(/&|\+/g, " and ");
  // Apostrophes join (McDonald's -> mcdonalds); every other symbol separates words.
  s = s.replace(/['’`´]/g, "");
  s = s.replace(/[^a-z0-9]+/g, " ");
  return s.split(" ").filter((w) => w.length > 0);
}

function dropLegalSuffixes(words: string[]): string[] {
  const out = [...words];
  let changed = true;
  while (changed && out.length > 1) {
    changed = false;
    for (const form of MULTI_WORD_SUFFIXES) {
      if (out.length > form.length && form.every((w, i) => out[out.length - form.length + i] === w)) {
        out.splice(out.length - form.length, form.length);
        changed = true;
      }
    }
    const last = out[out.length - 1];
    if (out.length > 1 && last !== undefined && LEGAL_SUFFIXES.has(last)) {
      out.pop();
      changed = true;
    }
  }
  return out;
}

/** The name's identifying words: lower case, accents folded, punctuation and legal form gone. */
export function companyNameTokens(name: string): string[] {
  const words = dropLegalSuffixes(canonicalWords(name));
  const kept = words.filter((w) => !FILLER_WORDS.has(w));
  return kept.length > 0 ? kept : words;
}

/**
 * The name's words as written, legal form gone but fillers kept ("Becton, Dickinson and Company" ->
 * becton dickinson and): a typo in a filler ("Dickinson snd") is only seen against the filler itself.
 */
export function companyNameWords(name: string): string[] {
  return dropLegalSuffixes(canonicalWords(name));
}

/**
 * A name that has a web suffix ("JD.com, Inc.", "Booking.com B.V."), as one word with the suffix
 * kept ("jdcom"): reps type it without the dot, which normalisation would read as a different word.
 * Null for a name without one.
 */
export function webNameKey(name: string): string | null {
  if (!WEB_SUFFIX.test(foldAccents(name))) return null;
  const words = dropLegalSuffixes(canonicalWords(name, true)).filter((w) => !FILLER_WORDS.has(w));
  return words.join("");
}

/** A compact query key with a web suffix typed onto it ("jdcom" -> "jd"), or null. */
export function withoutWebSuffix(compact: string): string | null {
  const match = /^(.+?)(com|net|org|io)$/.exec(compact);
  return match?.[1] !== undefined && match[1].length >= 2 ? match[1] : null;
}

export function normalizeCompanyName(name: string): string {
  return companyNameTokens(name).join(" ");
}

/** The normalized name with spaces removed, so "Wal-Mart" and "Walmart" meet. */
export function compactKey(normalized: string): string {
  return normalized.replace(/ /g, "");
}

/** A normalized name split into its identifying words and its trailing corporate-shape words. */
export function splitWeakTail(normalized: string): { core: string[]; weak: string[] } {
  const core = normalized.split(" ").filter((w) => w.length > 0);
  const weak: string[] = [];
  while (core.length > 1 && WEAK_TRAILING_WORDS.has(core[core.length - 1] ?? ""))
    weak.unshift(core.pop() ?? "");
  return { core, weak };
}

/** The normalized name without trailing corporate-shape words, compacted. */
export function coreKey(normalized: string): string {
  return splitWeakTail(normalized).core.join("");
}

/**
 * First letters of a multi-word name ("International Business Machines" -> "ibm"), or null
 * for a one-word name, whose only short form is itself.
 */
export function acronymOf(name: string): string | null {
  const words = companyNameTokens(name).filter((w) => !ACRONYM_SKIP.has(w));
  if (words.length < 2) return null;
  return words.map((w) => w[0]).join("");
}

/** The registrable domain of a host, URL or e-mail address ("eu.acme.co.uk" -> "acme.co.uk"). */
export function registrableDomain(input: string): string | null {
  const host =
    input.includes("@") && !input.includes("://") ? input.slice(input.lastIndexOf("@") + 1) : input;
  const parsed = parse(host.trim().toLowerCase());
  if (parsed.isIp || parsed.isIcann !== true) return null;
  return parsed.domain;
}

/** The label of a registrable domain before its public suffix ("acme.co.uk" -> "acme"). */
export function domainLabel(domain: string): string | null {
  return parse(domain).domainWithoutSuffix ?? null;
}

export type SearchKeys = {
  normalizedName: string;
  compactName: string;
  coreName: string;
  acronym: string | null;
  domains: string[];
};

/** The keys the data layer stores and indexes for an account, so it can retrieve candidates. */
export function searchKeysFor(account: Pick<Account, "name" | "domains">): SearchKeys {
  const normalizedName = normalizeCompanyName(account.name);
  const domains = [
    ...new Set(account.domains.map((d) => registrableDomain(d) ?? getDomain(d) ?? d.toLowerCase())),
  ];
  return {
    normalizedName,
    compactName: compactKey(normalizedName),
    coreName: coreKey(normalizedName),
    acronym: acronymOf(account.name),
    domains,
  };
}
