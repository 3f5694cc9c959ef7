// A synthetic book of business for benchmarks: rows in the same shapes as the sample CSVs
// (column names as keys, string values), at any size, deterministic for a given seed.
// Every account row is derived from its index alone, so rows can be streamed (or produced out of
// order) without holding the book in memory, and opportunities can name their account's owner
// by recomputing it rather than remembering it.

import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";

export const TERRITORY_COLUMNS = ["name", "model", "regions", "industries", "size_bands"] as const;
export const REP_COLUMNS = [
  "email",
  "name",
  "slack_user_id",
  "team",
  "roles",
  "capacity_weight",
  "territory",
] as const;
export const ACCOUNT_COLUMNS = [
  "crm_id",
  "name",
  "domain",
  "parent_crm_id",
  "country",
  "region",
  "industry",
  "employees",
  "size_band",
  "icp_fit",
  "last_activity_at",
  "named",
  "owner_email",
] as const;
export const OPPORTUNITY_COLUMNS = [
  "crm_id",
  "account_crm_id",
  "owner_email",
  "amount",
  "stage",
  "is_open",
  "source",
  "reseller",
] as const;

export type TerritoryRow = Record<(typeof TERRITORY_COLUMNS)[number], string>;
export type RepRow = Record<(typeof REP_COLUMNS)[number], string>;
export type AccountRow = Record<(typeof ACCOUNT_COLUMNS)[number], string>;
export type OpportunityRow = Record<(typeof OPPORTUNITY_COLUMNS)[number], string>;

export type Book = {
  territories: TerritoryRow[];
  reps: RepRow[];
  accounts: AccountRow[];
  opportunities: OpportunityRow[];
};

export type BookOptions = {
  accounts: number;
  reps: number;
  seed: number;
  /** Mean opportunities per account; default 0.8. */
  opportunitiesPerAccount?: number;
  /** Dates are relative to this day (YYYY-MM-DD), never to the clock; default 2026-11-01. */
  referenceDate?: string;
};

// ---------------------------------------------------------------------------------------------
// Randomness: a seeded PRNG, so the same seed always gives the same book.

export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  chance(p: number): boolean;
};

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
class Mulberry32 implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error("weighted pick from an empty list");
    return last[0];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}

/** Seeds one small PRNG per (seed, stream, index) so any row can be made on its own. */
function rowRng(seed: number, stream: number, index: number): Rng {
  let h = (seed ^ Math.imul(stream + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return createRng((h ^ (h >>> 16)) >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Vocabulary shared with scripts/generate-sample-data.ts. Brand words are invented; combined with
// an industry noun they read like real companies without naming one.

export const REGIONS = ["NA", "EMEA", "APAC", "LATAM"] as const;
export type Region = (typeof REGIONS)[number];

export type Country = {
  code: string;
  region: Region;
  /** Relative frequency within its region. */
  weight: number;
  tlds: readonly string[];
  legalForms: readonly string[];
};

export const COUNTRIES: readonly Country[] = [
  {
    code: "US",
    region: "NA",
    weight: 8,
    tlds: ["com"],
    legalForms: ["Inc.", "LLC", "Corp."],
  },
  { code: "CA", region: "NA", weight: 2, tlds: ["ca", "com"], legalForms: ["Inc.", "Ltd."] },
  { code: "GB", region: "EMEA", weight: 3, tlds: ["co.uk", "co.uk", "com"], legalForms: ["Ltd", "plc"] },
  { code: "DE", region: "EMEA", weight: 3, tlds: ["de", "de", "com"], legalForms: ["GmbH", "GmbH", "AG"] },
  { code: "FR", region: "EMEA", weight: 2, tlds: ["fr", "fr", "com"], legalForms: ["SAS", "SA"] },
  { code: "NL", region: "EMEA", weight: 1, tlds: ["nl"], legalForms: ["B.V."] },
  { code: "SE", region: "EMEA", weight: 1, tlds: ["se"], legalForms: ["AB"] },
  { code: "ES", region: "EMEA", weight: 1, tlds: ["es"], legalForms: ["S.L.", "S.A."] },
  { code: "IT", region: "EMEA", weight: 1, tlds: ["it"], legalForms: ["S.r.l.", "S.p.A."] },
  { code: "IE", region: "EMEA", weight: 1, tlds: ["ie", "com"], legalForms: ["Ltd"] },
  { code: "AU", region: "APAC", weight: 3, tlds: ["com.au"], legalForms: ["Pty Ltd"] },
  { code: "JP", region: "APAC", weight: 2, tlds: ["co.jp", "jp"], legalForms: ["K.K."] },
  { code: "SG", region: "APAC", weight: 2, tlds: ["com.sg", "sg"], legalForms: ["Pte. Ltd."] },
  { code: "IN", region: "APAC", weight: 2, tlds: ["in", "co.in"], legalForms: ["Pvt. Ltd."] },
  { code: "NZ", region: "APAC", weight: 1, tlds: ["co.nz"], legalForms: ["Ltd"] },
  { code: "BR", region: "LATAM", weight: 3, tlds: ["com.br"], legalForms: ["Ltda.", "S.A."] },
  { code: "MX", region: "LATAM", weight: 2, tlds: ["com.mx", "mx"], legalForms: ["S.A. de C.V."] },
  { code: "AR", region: "LATAM", weight: 1, tlds: ["com.ar"], legalForms: ["S.A."] },
  { code: "CL", region: "LATAM", weight: 1, tlds: ["cl"], legalForms: ["SpA"] },
  { code: "CO", region: "LATAM", weight: 1, tlds: ["com.co"], legalForms: ["S.A.S."] },
];

export const INDUSTRY_NOUNS = {
  Software: ["Labs", "Systems", "Analytics", "Software", "Cloud", "Data"],
  "Financial Services": ["Capital", "Financial", "Insurance", "Bancorp", "Payments"],
  Healthcare: ["Health", "Medical", "Clinics", "Diagnostics", "Care"],
  Manufacturing: ["Industries", "Manufacturing", "Components", "Precision", "Machining"],
  Retail: ["Outfitters", "Markets", "Home", "Apparel", "Grocers"],
  Logistics: ["Logistics", "Freight", "Shipping", "Transport", "Cargo"],
  Education: ["Learning", "Academy", "Education", "Schools"],
  Energy: ["Energy", "Power", "Renewables", "Solar", "Utilities"],
  Media: ["Media", "Studios", "Publishing", "Broadcasting"],
  "Professional Services": ["Consulting", "Advisory", "Partners", "Accounting"],
} as const satisfies Record<string, readonly string[]>;
export type Industry = keyof typeof INDUSTRY_NOUNS;
export const INDUSTRIES = Object.keys(INDUSTRY_NOUNS) as Industry[];

export const BRAND_WORDS = [
  "Alderbank",
  "Amberfall",
  "Ashgrove",
  "Bellhaven",
  "Birchwick",
  "Bluefen",
  "Brackenridge",
  "Brightpath",
  "Calderwood",
  "Cinderby",
  "Copperleaf",
  "Corrowin",
  "Dappleford",
  "Driftmoor",
  "Duskwater",
  "Eastmere",
  "Eldergrove",
  "Elmsworth",
  "Emberly",
  "Fallowmere",
  "Fernvale",
  "Foxhollow",
  "Frostholm",
  "Glenmarrow",
  "Greywick",
  "Halewood",
  "Harrowgate",
  "Hazelmoor",
  "Hollowmere",
  "Ironvale",
  "Jasperline",
  "Kelderwick",
  "Kestrel",
  "Kingsmere",
  "Larkmoor",
  "Lindenholt",
  "Lumenreach",
  "Marrowby",
  "Meadowlark",
  "Mossbridge",
  "Nettlefield",
  "Northwind",
  "Oakhaven",
  "Orchardine",
  "Pellmoor",
  "Quarrystone",
  "Quillfield",
  "Ravenmoor",
  "Redfern",
  "Rookhaven",
  "Saltmarsh",
  "Sandmere",
  "Silverbirch",
  "Stonebrook",
  "Tallowby",
  "Thistledown",
  "Umberfield",
  "Vantreye",
  "Velloway",
  "Wrenfield",
  "Willowmere",
  "Windhollow",
  "Yarrowby",
  "Zephyrine",
] as const;

export const SIZE_BAND_EMPLOYEES = {
  SMB: [5, 199],
  MM: [200, 1999],
  ENT: [2000, 120_000],
} as const;
export type SizeBandCode = keyof typeof SIZE_BAND_EMPLOYEES;

export function sizeBandFor(employees: number): SizeBandCode {
  if (employees < 200) return "SMB";
  if (employees < 2000) return "MM";
  return "ENT";
}

export const OPEN_STAGES = ["Prospecting", "Discovery", "Proposal", "Negotiation"] as const;
export const RESELLERS = [
  "Channel Partners Ltd",
  "Acme Distribution",
  "Bluewater Resellers Inc.",
  "Meridian Channel Group",
  "Pacific Rim Solutions Pte. Ltd.",
] as const;

/** Lower-case letters only, so brand + noun concatenations stay comparable. */
export function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** Days before the reference date as YYYY-MM-DD, in UTC so the time zone cannot shift it. */
export function isoDaysBefore(referenceDate: string, days: number): string {
  const ms = Date.parse(`${referenceDate}T00:00:00Z`) - days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** A log-uniform employee count within the band: most companies sit near the bottom of theirs. */
export function employeesFor(rng: Rng, band: SizeBandCode): number {
  const [lo, hi] = SIZE_BAND_EMPLOYEES[band];
  return Math.floor(Math.exp(Math.log(lo) + rng.next() * (Math.log(hi + 1) - Math.log(lo))));
}

export function amountFor(rng: Rng, band: SizeBandCode): number {
  const [lo, hi] = band === "SMB" ? [4_000, 40_000] : band === "MM" ? [20_000, 160_000] : [90_000, 950_000];
  return Math.round((lo + rng.next() * (hi - lo)) / 500) * 500;
}

// ---------------------------------------------------------------------------------------------
// CSV output (RFC 4180 quoting, LF line ends, list fields already joined with ";").

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function* csvLines<C extends string>(
  columns: readonly C[],
  rows: Iterable<Record<C, string>>,
): Generator<string> {
  yield `${columns.join(",")}\n`;
  for (const row of rows) {
    let line = "";
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += ",";
      line += csvField(row[columns[i] as C]);
    }
    yield `${line}\n`;
  }
}

export function toCsv<C extends string>(columns: readonly C[], rows: Iterable<Record<C, string>>): string {
  let out = "";
  for (const line of csvLines(columns, rows)) out += line;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The synthetic book. Territories are region × size band; reps are spread over them round-robin.

const BAND_CODES = ["SMB", "MM", "ENT"] as const;
const BOOK_TERRITORIES = REGIONS.flatMap((region) => BAND_CODES.map((band) => ({ region, band })));
const REGION_WEIGHTS: readonly (readonly [Region, number])[] = [
  ["NA", 50],
  ["EMEA", 28],
  ["APAC", 14],
  ["LATAM", 8],
];
const BAND_WEIGHTS: readonly (readonly [SizeBandCode, number])[] = [
  ["SMB", 50],
  ["MM", 33],
  ["ENT", 17],
];
const COUNTRIES_BY_REGION = new Map(
  REGIONS.map((r) => [r, COUNTRIES.filter((c) => c.region === r).map((c) => [c, c.weight] as const)]),
);
const NOUNS = INDUSTRIES.flatMap((industry) =>
  INDUSTRY_NOUNS[industry].map((noun) => ({ noun, industry, slug: slug(noun) })),
);
const BRAND_SLUGS = BRAND_WORDS.map(slug);
const PAIRS = BRAND_WORDS.length * NOUNS.length;
// Stepping through brand × noun pairs by a stride coprime with their count visits every pair once
// per round, while neighbouring accounts still get unrelated names.
const PAIR_STRIDE = coprimeStride(PAIRS);
const FIRST_NAMES = [
  "Avery",
  "Blake",
  "Casey",
  "Devon",
  "Emery",
  "Finley",
  "Harper",
  "Jamie",
  "Kai",
  "Logan",
  "Morgan",
  "Noor",
  "Parker",
  "Quinn",
  "Reese",
  "Sasha",
  "Taylor",
  "Wren",
] as const;
const LAST_NAMES = [
  "Abbott",
  "Baptiste",
  "Chen",
  "Delgado",
  "Eriksen",
  "Fontaine",
  "Garcia",
  "Haddad",
  "Iwata",
  "Jensen",
  "Kowalski",
  "Lindqvist",
  "Mensah",
  "Nakamura",
  "Okafor",
  "Petrov",
  "Rossi",
  "Singh",
] as const;

function coprimeStride(n: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = Math.floor(n * 0.618) | 1;
  while (gcd(stride, n) !== 1) stride += 2;
  return stride;
}

const activityDateCache = new Map<string, string[]>();

/** Formatting a date per row is the slowest step of a million-row book; there are only 541 days. */
function activityDates(referenceDate = "2026-11-01"): string[] {
  let dates = activityDateCache.get(referenceDate);
  if (dates === undefined) {
    dates = Array.from({ length: 541 }, (_, days) => isoDaysBefore(referenceDate, days));
    activityDateCache.set(referenceDate, dates);
  }
  return dates;
}

function territoryName(t: { region: Region; band: SizeBandCode }): string {
  return `${t.region} ${t.band}`;
}

function pad36(n: number, width: number): string {
  return n.toString(36).toUpperCase().padStart(width, "0");
}

export function bookAccountCrmId(index: number): string {
  return `001BK${pad36(index, 13)}`;
}

function bookOpportunityCrmId(accountIndex: number, slot: number): string {
  return `006BK${pad36(accountIndex, 12)}${slot}`;
}

function bookRepEmail(index: number): string {
  const first = FIRST_NAMES[index % FIRST_NAMES.length] ?? "rep";
  const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length] ?? "rep";
  return `${first}.${last}.${index}@turf-demo.example`.toLowerCase();
}

export function generateTerritoryRows(): TerritoryRow[] {
  return BOOK_TERRITORIES.map((t) => ({
    name: territoryName(t),
    model: "hybrid",
    regions: t.region,
    industries: INDUSTRIES.join(";"),
    size_bands: t.band,
  }));
}

export function generateRepRows(options: Pick<BookOptions, "reps" | "seed">): RepRow[] {
  const rows: RepRow[] = [];
  for (let j = 0; j < options.reps; j++) {
    const rng = rowRng(options.seed, 1, j);
    const territory = BOOK_TERRITORIES[j % BOOK_TERRITORIES.length];
    if (territory === undefined) throw new Error("no territories");
    const first = FIRST_NAMES[j % FIRST_NAMES.length] ?? "";
    const last = LAST_NAMES[Math.floor(j / FIRST_NAMES.length) % LAST_NAMES.length] ?? "";
    rows.push({
      email: bookRepEmail(j),
      name: `${first} ${last} ${j}`,
      slack_user_id: `U0${pad36(j, 9)}`,
      team: territory.region,
      roles: j === 0 ? "admin;arbiter" : "rep",
      capacity_weight: rng.weighted([
        ["1.0", 70],
        ["0.5", 15],
        ["1.2", 15],
      ] as const),
      territory: territoryName(territory),
    });
  }
  return rows;
}

type BookAccount = { row: AccountRow; band: SizeBandCode };

const SYLLABLES = [
  "ba",
  "be",
  "bo",
  "bra",
  "bri",
  "ca",
  "ce",
  "co",
  "cra",
  "cy",
  "da",
  "de",
  "dra",
  "du",
  "el",
  "en",
  "fa",
  "fe",
  "fi",
  "fla",
  "fo",
  "ga",
  "ge",
  "gla",
  "go",
  "gri",
  "ha",
  "he",
  "hi",
  "ja",
  "jo",
  "ka",
  "ke",
  "ki",
  "kro",
  "la",
  "le",
  "li",
  "lo",
  "lu",
  "ma",
  "me",
  "mi",
  "mo",
  "na",
  "ne",
  "ni",
  "no",
  "nu",
  "or",
  "pa",
  "pe",
  "pi",
  "pra",
  "pro",
  "qua",
  "ra",
  "re",
  "ri",
  "ro",
  "ru",
  "sa",
  "se",
  "si",
  "so",
  "sta",
  "stra",
  "su",
  "ta",
  "te",
  "ti",
  "to",
  "tra",
  "tri",
  "tu",
  "va",
  "ve",
  "vi",
  "vo",
  "wa",
  "we",
  "xa",
  "ya",
  "yo",
  "za",
  "ze",
  "zo",
  "zu",
  "an",
  "ar",
  "ex",
  "il",
  "is",
  "on",
  "um",
  "ux",
  "ly",
  "ny",
] as const;
const S = SYLLABLES.length;

/** A made-up brand word, different for every index below S⁴ (about 96 million). */
function coinedBrand(index: number): string {
  // Scramble the index so neighbouring rows do not share their first syllables.
  let n = (index * 2_654_435_761) % S ** 4;
  let word = "";
  for (let i = 0; i < 4; i++) {
    word += SYLLABLES[n % S];
    n = Math.floor(n / S);
  }
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function bookAccountAt(index: number, options: BookOptions): BookAccount {
  const rng = rowRng(options.seed, 2, index);
  const pair = (index * PAIR_STRIDE) % PAIRS;
  const round = Math.floor(index / PAIRS);
  const brand = BRAND_WORDS[pair % BRAND_WORDS.length] ?? "";
  const brandSlug = BRAND_SLUGS[pair % BRAND_WORDS.length] ?? "";
  const noun = NOUNS[Math.floor(pair / BRAND_WORDS.length)];
  if (noun === undefined) throw new Error("noun index out of range");
  const region = rng.weighted(REGION_WEIGHTS);
  const country = rng.weighted(COUNTRIES_BY_REGION.get(region) ?? []);
  const band = rng.weighted(BAND_WEIGHTS);
  const employees = employeesFor(rng, band);
  // Once every brand × noun pair has been used, a coined brand (syllables picked by the index, one
  // distinct word per index) keeps names unique *and* as varied as a real book: a counter suffix would
  // make thousands of near-identical names and turn fuzzy-search figures into a worst case.
  const coined = round === 0 ? null : coinedBrand(index);
  const suffix = "";
  const brandName = coined ?? brand;
  const base = `${coined ? coined.toLowerCase() : brandSlug}${noun.slug}`;
  const tld = noun.industry === "Software" && rng.chance(0.4) ? "io" : rng.pick(country.tlds);
  const isSubsidiary = index >= 50 && rng.chance(0.02);
  const whiteSpace = rng.chance(0.13);
  const stale = rng.chance(0.2);
  const named = band === "ENT" && rng.chance(0.05);
  const territoryIndex = REGIONS.indexOf(region) * BAND_CODES.length + BAND_CODES.indexOf(band);
  return {
    band,
    row: {
      crm_id: bookAccountCrmId(index),
      name: `${brandName} ${noun.noun}${suffix} ${rng.pick(country.legalForms)}`,
      domain: `${base}.${tld}`,
      parent_crm_id: isSubsidiary ? bookAccountCrmId(index - rng.int(1, 50)) : "",
      country: country.code,
      region,
      industry: noun.industry,
      employees: String(employees),
      size_band: band,
      icp_fit: String(
        rng.weighted([
          [1, 10],
          [2, 20],
          [3, 35],
          [4, 22],
          [5, 13],
        ] as const),
      ),
      last_activity_at: activityDates(options.referenceDate)[stale ? rng.int(91, 540) : rng.int(0, 90)] ?? "",
      named: named ? "true" : "false",
      owner_email:
        whiteSpace || options.reps === 0 ? "" : bookRepEmail(ownerIndex(rng, territoryIndex, options.reps)),
    },
  };
}

/** A rep whose round-robin territory matches the account's, or any rep when there are too few. */
function ownerIndex(rng: Rng, territoryIndex: number, reps: number): number {
  const perTerritory = Math.floor((reps - 1 - territoryIndex) / BOOK_TERRITORIES.length) + 1;
  if (perTerritory <= 0) return rng.int(0, reps - 1);
  return territoryIndex + BOOK_TERRITORIES.length * rng.int(0, perTerritory - 1);
}

export function* generateAccountRows(options: BookOptions): Generator<AccountRow> {
  for (let i = 0; i < options.accounts; i++) yield bookAccountAt(i, options).row;
}

export function* generateOpportunityRows(options: BookOptions): Generator<OpportunityRow> {
  const mean = options.opportunitiesPerAccount ?? 0.8;
  for (let i = 0; i < options.accounts; i++) {
    const rng = rowRng(options.seed, 3, i);
    // Up to 9 per account (the slot is one digit of the CRM id); the mean holds for mean ≤ 4.5.
    const count = Math.min(9, Math.floor(rng.next() * 2 * mean + rng.next()));
    if (count === 0) continue;
    const account = bookAccountAt(i, options);
    for (let slot = 0; slot < count; slot++) {
      const reseller = rng.chance(0.08);
      const open = rng.chance(0.55);
      yield {
        crm_id: bookOpportunityCrmId(i, slot),
        account_crm_id: account.row.crm_id,
        owner_email: account.row.owner_email,
        amount: String(amountFor(rng, account.band)),
        stage: open ? rng.pick(OPEN_STAGES) : rng.chance(0.35) ? "Closed Won" : "Closed Lost",
        is_open: open ? "true" : "false",
        source: reseller ? "reseller" : "direct",
        reseller: reseller ? rng.pick(RESELLERS) : "",
      };
    }
  }
}

/** The whole book in memory; for large books prefer the row generators above. */
export function generateBook(options: BookOptions): Book {
  return {
    territories: generateTerritoryRows(),
    reps: generateRepRows(options),
    accounts: Array.from(generateAccountRows(options)),
    opportunities: Array.from(generateOpportunityRows(options)),
  };
}

export type BookFiles = {
  territories: string;
  reps: string;
  accounts: string;
  opportunities: string;
};

/**
 * Writes the book as the four import CSVs in `dir`, streaming, so a million-account book costs
 * no more memory than a small one. Returns the file paths.
 */
export async function writeBookCsvFiles(dir: string, options: BookOptions): Promise<BookFiles> {
  mkdirSync(dir, { recursive: true });
  const files: BookFiles = {
    territories: join(dir, "territories.csv"),
    reps: join(dir, "reps.csv"),
    accounts: join(dir, "accounts.csv"),
    opportunities: join(dir, "opportunities.csv"),
  };
  await pipeline(
    Readable.from(csvLines(TERRITORY_COLUMNS, generateTerritoryRows())),
    createWriteStream(files.territories),
  );
  await pipeline(
    Readable.from(csvLines(REP_COLUMNS, generateRepRows(options))),
    createWriteStream(files.reps),
  );
  await pipeline(
    Readable.from(csvLines(ACCOUNT_COLUMNS, generateAccountRows(options))),
    createWriteStream(files.accounts),
  );
  await pipeline(
    Readable.from(csvLines(OPPORTUNITY_COLUMNS, generateOpportunityRows(options))),
    createWriteStream(files.opportunities),
  );
  return files;
}

// `npx tsx bench/book.ts [accounts] [reps]` prints how fast rows are made (no assertions here).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const accounts = Number(process.argv[2] ?? 1_000_000);
  const reps = Number(process.argv[3] ?? 200);
  const options = { accounts, reps, seed: 42 };
  let start = performance.now();
  let count = 0;
  for (const _ of generateAccountRows(options)) count++;
  const accountMs = performance.now() - start;
  start = performance.now();
  let opportunities = 0;
  for (const _ of generateOpportunityRows(options)) opportunities++;
  const opportunityMs = performance.now() - start;
  start = performance.now();
  let bytes = 0;
  for (const line of csvLines(ACCOUNT_COLUMNS, generateAccountRows(options))) bytes += line.length;
  const csvMs = performance.now() - start;
  process.stdout.write(
    `${count} account rows streamed in ${accountMs.toFixed(0)} ms (${Math.round(count / (accountMs / 1000))}/s)\n` +
      `${opportunities} opportunity rows streamed in ${opportunityMs.toFixed(0)} ms\n` +
      `accounts as CSV (${(bytes / 1e6).toFixed(1)} MB) in ${csvMs.toFixed(0)} ms\n`,
  );
}
