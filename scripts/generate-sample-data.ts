// Writes the sample data set in data/sample/: a small, realistic company that Turf loads on first
// start and that demos and tests can name by heart (Globex Corporation, owned by Dana Whitfield).
// Deterministic: a fixed seed and a fixed reference date, so re-running reproduces the committed
// files byte for byte. Run with `npx tsx scripts/generate-sample-data.ts`.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  amountFor,
  BRAND_WORDS,
  COUNTRIES,
  type Country,
  createRng,
  employeesFor,
  INDUSTRIES,
  INDUSTRY_NOUNS,
  type Industry,
  isoDaysBefore,
  OPEN_STAGES,
  OPPORTUNITY_COLUMNS,
  type OpportunityRow,
  REP_COLUMNS,
  RESELLERS,
  type Region,
  type RepRow,
  type Rng,
  type SizeBandCode,
  sizeBandFor,
  slug,
  TERRITORY_COLUMNS,
  type TerritoryRow,
  toCsv,
} from "../bench/book.ts";

export const SAMPLE_SEED = 20261101;
export const SAMPLE_REFERENCE_DATE = "2026-11-01";
export const SAMPLE_ACCOUNT_COUNT = 300;
export const SAMPLE_FILES = ["territories.csv", "reps.csv", "accounts.csv", "opportunities.csv"] as const;
export type SampleFile = (typeof SAMPLE_FILES)[number];

export type SampleData = {
  territories: TerritoryRow[];
  reps: RepRow[];
  accounts: AccountRow[];
  opportunities: OpportunityRow[];
};

const ALL_REGIONS = "NA;EMEA;APAC;LATAM";
const ALL_INDUSTRIES = INDUSTRIES.join(";");
// The Healthcare vertical is carved out of the geographic books, so territories do not overlap.
const NON_HEALTHCARE = INDUSTRIES.filter((i) => i !== "Healthcare").join(";");

const TERRITORIES: TerritoryRow[] = [
  { name: "NA Commercial", model: "hybrid", regions: "NA", industries: NON_HEALTHCARE, size_bands: "SMB;MM" },
  { name: "NA Enterprise", model: "hybrid", regions: "NA", industries: NON_HEALTHCARE, size_bands: "ENT" },
  {
    name: "EMEA",
    model: "geographic",
    regions: "EMEA",
    industries: NON_HEALTHCARE,
    size_bands: "SMB;MM;ENT",
  },
  {
    name: "APAC & LATAM",
    model: "geographic",
    regions: "APAC;LATAM",
    industries: NON_HEALTHCARE,
    size_bands: "SMB;MM;ENT",
  },
  {
    name: "Healthcare",
    model: "vertical",
    regions: ALL_REGIONS,
    industries: "Healthcare",
    size_bands: "SMB;MM;ENT",
  },
  {
    name: "Strategic Accounts",
    model: "named",
    regions: ALL_REGIONS,
    industries: ALL_INDUSTRIES,
    size_bands: "ENT",
  },
];

type RepSpec = Omit<RepRow, "slack_user_id"> & { inSlack: boolean };

const REPS: RepSpec[] = [
  rep("morgan", "Morgan Ellery", "RevOps", "admin;arbiter", "1.0", ""),
  rep("marcus", "Marcus Oyelaran", "Americas", "manager", "1.0", "NA Enterprise"),
  rep("sofie", "Sofie Lindqvist", "International", "manager", "1.0", "EMEA"),
  rep("dana", "Dana Whitfield", "Americas", "rep", "1.0", "NA Enterprise"),
  rep("jordan", "Jordan Castillo", "Americas", "rep", "1.2", "NA Enterprise"),
  rep("alex", "Alex Brennan", "Americas", "rep", "1.0", "NA Commercial"),
  // Joined last month: half ramp, and not in Slack yet.
  { ...rep("riley", "Riley Okafor", "Americas", "rep", "0.5", "NA Commercial"), inSlack: false },
  rep("hannah", "Hannah Vogel", "International", "rep", "1.0", "EMEA"),
  rep("lucas", "Lucas Moreau", "International", "rep", "1.2", "EMEA"),
  rep("mei", "Mei Tanaka", "International", "rep", "1.0", "APAC & LATAM"),
  rep("samuel", "Samuel Adeyemi", "Healthcare", "rep", "1.0", "Healthcare"),
  rep("olivia", "Olivia Grant", "Strategic", "rep", "1.0", "Strategic Accounts"),
];

function rep(
  local: string,
  name: string,
  team: string,
  roles: string,
  capacityWeight: string,
  territory: string,
): RepSpec {
  return {
    email: `${local}@turf-demo.example`,
    name,
    team,
    roles,
    capacity_weight: capacityWeight,
    territory,
    inSlack: true,
  };
}

const email = (local: string): string => `${local}@turf-demo.example`;

/** Reps who may own accounts of a territory, with their capacity weights as odds. */
const BOOK_OWNERS: Record<string, readonly (readonly [string, number])[]> = {
  "NA Commercial": [
    [email("alex"), 1.0],
    [email("riley"), 0.5],
  ],
  "NA Enterprise": [
    [email("dana"), 1.0],
    [email("jordan"), 1.2],
  ],
  EMEA: [
    [email("hannah"), 1.0],
    [email("lucas"), 1.2],
  ],
  "APAC & LATAM": [[email("mei"), 1.0]],
  Healthcare: [[email("samuel"), 1.0]],
  "Strategic Accounts": [[email("olivia"), 1.0]],
};

type AccountSpec = {
  crmId?: string;
  name: string;
  domains: string[];
  parent?: string;
  country: string;
  industry: Industry;
  employees: number;
  icpFit: number;
  daysSinceActivity: number;
  named?: boolean;
  owner: string;
};

// Hand-written accounts that demos, the README and tests refer to: parent/subsidiary pairs across
// regions, a named account, names that need CSV quoting or are not ASCII.
const SPECIAL_ACCOUNTS: AccountSpec[] = [
  {
    crmId: "001000000000GLOBEX",
    name: "Globex Corporation",
    domains: ["globex.com"],
    country: "US",
    industry: "Manufacturing",
    employees: 18_400,
    icpFit: 5,
    daysSinceActivity: 4,
    owner: email("dana"),
  },
  {
    crmId: "001000000000GLOBDE",
    name: "Globex Deutschland GmbH",
    domains: ["globex.de"],
    parent: "001000000000GLOBEX",
    country: "DE",
    industry: "Manufacturing",
    employees: 1_350,
    icpFit: 4,
    daysSinceActivity: 20,
    owner: email("dana"),
  },
  {
    name: "Brightpath Health Inc.",
    domains: ["brightpathhealth.com"],
    country: "US",
    industry: "Healthcare",
    employees: 6_200,
    icpFit: 5,
    daysSinceActivity: 9,
    owner: email("samuel"),
  },
  {
    name: "Brightpath Health UK Ltd",
    domains: ["brightpathhealth.co.uk"],
    parent: "Brightpath Health Inc.",
    country: "GB",
    industry: "Healthcare",
    employees: 640,
    icpFit: 4,
    daysSinceActivity: 130,
    owner: "",
  },
  {
    name: "Northwind Logistics GmbH",
    domains: ["northwindlogistics.de", "northwind-logistics.com"],
    country: "DE",
    industry: "Logistics",
    employees: 3_900,
    icpFit: 4,
    daysSinceActivity: 15,
    owner: email("lucas"),
  },
  {
    name: "Northwind Logistics Australia Pty Ltd",
    domains: ["northwindlogistics.com.au"],
    parent: "Northwind Logistics GmbH",
    country: "AU",
    industry: "Logistics",
    employees: 420,
    icpFit: 3,
    daysSinceActivity: 33,
    owner: email("mei"),
  },
  {
    name: "Kestrel Capital plc",
    domains: ["kestrelcapital.co.uk"],
    country: "GB",
    industry: "Financial Services",
    employees: 2_800,
    icpFit: 5,
    daysSinceActivity: 6,
    named: true,
    owner: email("olivia"),
  },
  {
    name: "Kestrel Capital Brasil Ltda.",
    domains: ["kestrelcapital.com.br"],
    parent: "Kestrel Capital plc",
    country: "BR",
    industry: "Financial Services",
    employees: 310,
    icpFit: 4,
    daysSinceActivity: 75,
    owner: "",
  },
  {
    name: "Harrowgate Retail Group Inc.",
    domains: ["harrowgateretail.com"],
    country: "US",
    industry: "Retail",
    employees: 12_000,
    icpFit: 4,
    daysSinceActivity: 12,
    owner: email("jordan"),
  },
  {
    name: "Harrowgate Outlet Stores LLC",
    domains: ["harrowgateoutlets.com"],
    parent: "Harrowgate Retail Group Inc.",
    country: "US",
    industry: "Retail",
    employees: 900,
    icpFit: 3,
    daysSinceActivity: 41,
    owner: email("alex"),
  },
  {
    name: "Rookhaven, Marsh & Pell LLP",
    domains: ["rookhavenmarsh.co.uk"],
    country: "GB",
    industry: "Professional Services",
    employees: 260,
    icpFit: 3,
    daysSinceActivity: 58,
    owner: email("hannah"),
  },
  {
    name: "Ébène Conseil SAS",
    domains: ["ebeneconseil.fr"],
    country: "FR",
    industry: "Professional Services",
    employees: 85,
    icpFit: 2,
    daysSinceActivity: 210,
    owner: email("lucas"),
  },
];

// Brands of the hand-written accounts stay unique to them, so "Brightpath" means one company.
const RESERVED_BRANDS = new Set<string>(["Brightpath", "Northwind", "Kestrel", "Harrowgate", "Rookhaven"]);

const NAMED_ACCOUNT_COUNT = 15;
const WHITE_SPACE_COUNT = 40;
const SEGMENT_DRIFT_COUNT = 4;
const IN_FLIGHT_CREDIT_COUNT = 3;
const RESELLER_ON_DIRECT_COUNT = 14;
const RESELLER_ON_WHITE_SPACE_COUNT = 6;

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/**
 * Salesforce-looking 18-character ids: key prefix, a pod-like "8d" and zeros, then random
 * characters and a 3-character suffix from the alphabet Salesforce uses for it. Unique even when
 * compared case-insensitively, as 18-character ids are meant to be.
 */
function crmIdMaker(rng: Rng, prefix: "001" | "006", taken: Set<string>): () => string {
  return () => {
    for (;;) {
      let id = `${prefix}8d00000`;
      for (let i = 0; i < 5; i++) id += rng.pick([...ID_CHARS]);
      for (let i = 0; i < 3; i++) id += rng.pick([...SUFFIX_CHARS]);
      if (!taken.has(id.toLowerCase())) {
        taken.add(id.toLowerCase());
        return id;
      }
    }
  };
}

function territoryFor(account: {
  region: Region;
  industry: string;
  band: SizeBandCode;
  named: boolean;
}): string {
  if (account.named) return "Strategic Accounts";
  if (account.industry === "Healthcare") return "Healthcare";
  if (account.region === "NA") return account.band === "ENT" ? "NA Enterprise" : "NA Commercial";
  if (account.region === "EMEA") return "EMEA";
  return "APAC & LATAM";
}

function countryByCode(code: string): Country {
  const country = COUNTRIES.find((c) => c.code === code);
  if (country === undefined) throw new Error(`unknown country ${code}`);
  return country;
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

export function buildSampleData(seed: number = SAMPLE_SEED): SampleData {
  const rng = createRng(seed);
  const takenIds = new Set<string>(["001000000000globex", "001000000000globde"]);
  const accountId = crmIdMaker(rng, "001", takenIds);
  const opportunityId = crmIdMaker(rng, "006", takenIds);
  const date = (days: number): string => isoDaysBefore(SAMPLE_REFERENCE_DATE, days);

  const reps: RepRow[] = REPS.map(({ inSlack, ...r }) => {
    let slackId = "U0";
    for (let i = 0; i < 9; i++) slackId += rng.pick([..."ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"]);
    return { ...r, slack_user_id: inSlack ? slackId : "" };
  });

  // Special accounts first, parents before subsidiaries, so a one-pass importer can resolve them.
  const accounts: AccountRow[] = [];
  const idByName = new Map<string, string>();
  const usedBases = new Set(["globex"]);
  for (const spec of SPECIAL_ACCOUNTS) {
    const country = countryByCode(spec.country);
    const crmId = spec.crmId ?? accountId();
    idByName.set(spec.name, crmId);
    for (const d of spec.domains) usedBases.add(d.split(".")[0]?.replaceAll("-", "") ?? "");
    accounts.push({
      crm_id: crmId,
      name: spec.name,
      domain: spec.domains.join(";"),
      parent_crm_id: spec.parent === undefined ? "" : (idByName.get(spec.parent) ?? spec.parent),
      country: country.code,
      region: country.region,
      industry: spec.industry,
      employees: String(spec.employees),
      size_band: sizeBandFor(spec.employees),
      icp_fit: String(spec.icpFit),
      last_activity_at: date(spec.daysSinceActivity),
      named: spec.named === true ? "true" : "false",
      owner_email: spec.owner,
    });
  }
  const specialCount = accounts.length;

  for (let i = specialCount; i < SAMPLE_ACCOUNT_COUNT; i++) {
    const region = rng.weighted<Region>([
      ["NA", 50],
      ["EMEA", 27],
      ["APAC", 15],
      ["LATAM", 8],
    ]);
    const country = rng.weighted(
      COUNTRIES.filter((c) => c.region === region).map((c) => [c, c.weight] as const),
    );
    const industry = rng.weighted<Industry>(
      INDUSTRIES.map((ind) => [ind, ind === "Healthcare" ? 12 : ind === "Software" ? 16 : 9] as const),
    );
    let brand: string;
    let noun: string;
    do {
      brand = rng.pick(BRAND_WORDS);
      noun = rng.pick(INDUSTRY_NOUNS[industry]);
    } while (usedBases.has(slug(brand + noun)) || RESERVED_BRANDS.has(brand));
    usedBases.add(slug(brand + noun));
    const band = rng.weighted<SizeBandCode>([
      ["SMB", 45],
      ["MM", 35],
      ["ENT", 20],
    ]);
    const employees = employeesFor(rng, band);
    const tld = industry === "Software" && rng.chance(0.4) ? "io" : rng.pick(country.tlds);
    const domains = [`${slug(brand + noun)}.${tld}`];
    // Companies in several markets often keep a second, country-specific domain.
    if (band === "ENT" && rng.chance(0.2)) {
      const other = rng.pick(COUNTRIES.filter((c) => c.region !== region));
      domains.push(`${slug(brand + noun)}.${other.tlds[0] ?? "com"}`);
    }
    const stale = rng.chance(0.2);
    accounts.push({
      crm_id: accountId(),
      name: `${brand} ${noun} ${rng.pick(country.legalForms)}`,
      domain: domains.join(";"),
      parent_crm_id: "",
      country: country.code,
      region,
      industry,
      employees: String(employees),
      size_band: sizeBandFor(employees),
      icp_fit: String(
        rng.weighted([
          [1, 8],
          [2, 17],
          [3, 35],
          [4, 25],
          [5, 15],
        ] as const),
      ),
      last_activity_at: date(stale ? rng.int(91, 420) : rng.int(0, 90)),
      named: "false",
      owner_email: "",
    });
  }

  const generated = accounts.slice(specialCount);
  const alreadyNamed = accounts.filter((a) => a.named === "true").length;
  const namedPicks = shuffle(
    rng,
    generated.filter((a) => a.size_band === "ENT"),
  ).slice(0, NAMED_ACCOUNT_COUNT - alreadyNamed);
  for (const a of namedPicks) a.named = "true";
  // The two most recently named accounts move to Strategic Accounts on the first of next quarter;
  // until then their geographic rep still owns them.
  const namedInTransition = new Set(namedPicks.slice(0, 2));

  for (const a of generated) {
    const region = a.region as Region;
    const band = a.size_band as SizeBandCode;
    const named = a.named === "true" && !namedInTransition.has(a);
    const territory = territoryFor({ region, industry: a.industry, band, named });
    a.owner_email = rng.weighted(BOOK_OWNERS[territory] ?? []);
  }

  // Enterprise accounts rarely go unowned; white space is the long tail of smaller companies.
  const whiteSpaceSoFar = accounts.filter((a) => a.owner_email === "").length;
  const whiteSpace = shuffle(
    rng,
    generated.filter((a) => a.named === "false" && a.size_band !== "ENT"),
  ).slice(0, WHITE_SPACE_COUNT - whiteSpaceSoFar);
  for (const a of whiteSpace) {
    a.owner_email = "";
    // Nobody works white space, so its last touch tends to be old.
    if (rng.chance(0.5)) a.last_activity_at = date(rng.int(91, 420));
  }

  // Accounts that grew into the enterprise band but are still in the commercial rep's book: the
  // segment-change disputes of the guide.
  const drift = generated.filter(
    (a) => a.region === "NA" && a.size_band === "ENT" && a.named === "false" && a.industry !== "Healthcare",
  );
  const drifted = new Set(
    shuffle(
      rng,
      drift.filter((a) => a.owner_email !== ""),
    ).slice(0, SEGMENT_DRIFT_COUNT),
  );
  for (const a of drifted) a.owner_email = email("alex");

  const opportunities: OpportunityRow[] = [];
  const addOpportunity = (account: AccountRow, fields: Partial<OpportunityRow> = {}): OpportunityRow => {
    const open = rng.chance(0.55);
    const row: OpportunityRow = {
      crm_id: opportunityId(),
      account_crm_id: account.crm_id,
      owner_email: account.owner_email,
      amount: String(amountFor(rng, account.size_band as SizeBandCode)),
      stage: open ? rng.pick(OPEN_STAGES) : rng.chance(0.35) ? "Closed Won" : "Closed Lost",
      is_open: open ? "true" : "false",
      source: "direct",
      reseller: "",
      ...fields,
    };
    opportunities.push(row);
    return row;
  };

  const globex = accounts[0];
  const globexDe = accounts[1];
  if (globex === undefined || globexDe === undefined) throw new Error("Globex accounts missing");
  const globexOpportunities: OpportunityRow[] = [
    {
      ...fixedOpportunity("0060000000GLOBEX01", globex),
      amount: "420000",
      stage: "Negotiation",
      is_open: "true",
    },
    {
      ...fixedOpportunity("0060000000GLOBEX02", globex),
      amount: "185000",
      stage: "Closed Won",
      is_open: "false",
    },
    {
      ...fixedOpportunity("0060000000GLOBEX03", globex),
      amount: "96000",
      stage: "Proposal",
      is_open: "true",
      source: "reseller",
      reseller: "Acme Distribution",
    },
    // An EMEA rep already working the German subsidiary of an NA account: the international
    // expansion and parent/subsidiary rules both have something to say.
    {
      ...fixedOpportunity("0060000000GLOBDE01", globexDe),
      owner_email: email("hannah"),
      amount: "64000",
      stage: "Discovery",
      is_open: "true",
    },
  ];
  opportunities.push(...globexOpportunities);

  for (const a of accounts.slice(2)) {
    if (a.owner_email === "") continue;
    const count = rng.weighted([
      [0, 42],
      [1, 33],
      [2, 18],
      [3, 7],
    ] as const);
    for (let k = 0; k < count; k++) addOpportunity(a);
  }

  // Reseller-registered deals on accounts already in a direct rep's book (rep of record stays
  // the direct rep), and a few on white space where no direct rep is involved yet.
  const direct = shuffle(
    rng,
    opportunities.filter((o) => o.source === "direct" && !o.crm_id.includes("GLOB")),
  );
  for (const o of direct.slice(0, RESELLER_ON_DIRECT_COUNT - 1)) {
    o.source = "reseller";
    o.reseller = rng.pick(RESELLERS);
  }
  for (const a of shuffle(
    rng,
    accounts.filter((x) => x.owner_email === ""),
  ).slice(0, RESELLER_ON_WHITE_SPACE_COUNT)) {
    addOpportunity(a, { owner_email: "", source: "reseller", reseller: rng.pick(RESELLERS) });
  }

  // Accounts that moved from Alex to an enterprise rep this quarter: the in-flight deal stays
  // credited to Alex through closure.
  const movedWithDeal = shuffle(
    rng,
    opportunities.filter((o) => {
      const acc = accounts.find((a) => a.crm_id === o.account_crm_id);
      return (
        o.is_open === "true" &&
        o.source === "direct" &&
        acc !== undefined &&
        acc.region === "NA" &&
        acc.size_band === "ENT" &&
        (acc.owner_email === email("dana") || acc.owner_email === email("jordan")) &&
        !o.crm_id.includes("GLOB")
      );
    }),
  ).slice(0, IN_FLIGHT_CREDIT_COUNT);
  for (const o of movedWithDeal) o.owner_email = email("alex");

  return { territories: TERRITORIES, reps, accounts, opportunities };
}

function fixedOpportunity(crmId: string, account: AccountRow): OpportunityRow {
  return {
    crm_id: crmId,
    account_crm_id: account.crm_id,
    owner_email: account.owner_email,
    amount: "0",
    stage: "Prospecting",
    is_open: "true",
    source: "direct",
    reseller: "",
  };
}

export function renderSampleCsv(data: SampleData): Record<SampleFile, string> {
  return {
    "territories.csv": toCsv(TERRITORY_COLUMNS, data.territories),
    "reps.csv": toCsv(REP_COLUMNS, data.reps),
    "accounts.csv": toCsv(ACCOUNT_COLUMNS, data.accounts),
    "opportunities.csv": toCsv(OPPORTUNITY_COLUMNS, data.opportunities),
  };
}

export const SAMPLE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "data", "sample");

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = renderSampleCsv(buildSampleData());
  mkdirSync(SAMPLE_DIR, { recursive: true });
  for (const name of SAMPLE_FILES) writeFileSync(join(SAMPLE_DIR, name), files[name]);
  process.stdout.write(`wrote ${SAMPLE_FILES.map((f) => join("data/sample", f)).join(", ")}\n`);
}
