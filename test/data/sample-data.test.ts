import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  BRAND_WORDS,
  COUNTRIES,
  generateAccountRows,
  generateBook,
  generateOpportunityRows,
  INDUSTRIES,
  INDUSTRY_NOUNS,
  OPPORTUNITY_COLUMNS,
  REP_COLUMNS,
  slug,
  TERRITORY_COLUMNS,
  toCsv,
  writeBookCsvFiles,
} from "../../bench/book.ts";
import {
  buildSampleData,
  renderSampleCsv,
  SAMPLE_DIR,
  SAMPLE_FILES,
  SAMPLE_REFERENCE_DATE,
} from "../../scripts/generate-sample-data.ts";
import { REP_ROLES, SIZE_BANDS, TERRITORY_MODELS } from "../../src/domain/model.ts";

const REGION_OF_COUNTRY = new Map(COUNTRIES.map((c) => [c.code, c.region]));
const list = (value: string): string[] => (value === "" ? [] : value.split(";"));
const bool = z.enum(["true", "false"]);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const email = z.string().regex(/^[a-z0-9.]+@turf-demo\.example$/);

const ZTerritoryRow = z.object({
  name: z.string().min(1),
  model: z.enum(TERRITORY_MODELS),
  regions: z.string().regex(/^(NA|EMEA|APAC|LATAM)(;(NA|EMEA|APAC|LATAM))*$/),
  industries: z.string().min(1),
  size_bands: z.string().regex(/^(SMB|MM|ENT)(;(SMB|MM|ENT))*$/),
});
const ZRepRow = z.object({
  email,
  name: z.string().min(3),
  slack_user_id: z.string().regex(/^(U0[A-Z0-9]{9})?$/),
  team: z.string().min(1),
  roles: z.string().refine((v) => list(v).length > 0 && list(v).every((r) => REP_ROLES.some((x) => x === r))),
  capacity_weight: z.enum(["0.5", "1.0", "1.2"]),
  territory: z.string(),
});
const ZAccountRow = z.object({
  crm_id: z.string().regex(/^001[A-Za-z0-9]{15}$/),
  name: z.string().min(3),
  domain: z.string().regex(/^[a-z0-9-]+(\.[a-z]{2,})+(;[a-z0-9-]+(\.[a-z]{2,})+)*$/),
  parent_crm_id: z.string().regex(/^(001[A-Za-z0-9]{15})?$/),
  country: z.string().regex(/^[A-Z]{2}$/),
  region: z.enum(["NA", "EMEA", "APAC", "LATAM"]),
  industry: z.string().min(1),
  employees: z.string().regex(/^[1-9]\d*$/),
  size_band: z.enum(SIZE_BANDS),
  icp_fit: z.enum(["1", "2", "3", "4", "5"]),
  last_activity_at: isoDate,
  named: bool,
  owner_email: z.union([z.literal(""), email]),
});
const ZOpportunityRow = z.object({
  crm_id: z.string().regex(/^006[A-Za-z0-9]{15}$/),
  account_crm_id: z.string().regex(/^001[A-Za-z0-9]{15}$/),
  owner_email: z.union([z.literal(""), email]),
  amount: z.string().regex(/^[1-9]\d*$/),
  stage: z.enum(["Prospecting", "Discovery", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]),
  is_open: bool,
  source: z.enum(["direct", "reseller"]),
  reseller: z.string(),
});

function readSample(file: string, columns: readonly string[]): Record<string, string>[] {
  const text = readFileSync(join(SAMPLE_DIR, file), "utf8");
  expect(text.slice(0, text.indexOf("\n"))).toBe(columns.join(","));
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

function bandOf(employees: number): string {
  return employees < 200 ? "SMB" : employees < 2000 ? "MM" : "ENT";
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    if (seen.has(v)) return true;
    seen.add(v);
    return false;
  });
}

function daysBeforeReference(date: string): number {
  return (Date.parse(`${SAMPLE_REFERENCE_DATE}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000;
}

describe("the committed sample data set", () => {
  const territories = readSample("territories.csv", TERRITORY_COLUMNS).map((r) => ZTerritoryRow.parse(r));
  const reps = readSample("reps.csv", REP_COLUMNS).map((r) => ZRepRow.parse(r));
  const accounts = readSample("accounts.csv", ACCOUNT_COLUMNS).map((r) => ZAccountRow.parse(r));
  const opportunities = readSample("opportunities.csv", OPPORTUNITY_COLUMNS).map((r) =>
    ZOpportunityRow.parse(r),
  );
  const territoryNames = new Set(territories.map((t) => t.name));
  const repEmails = new Set(reps.map((r) => r.email));
  const accountById = new Map(accounts.map((a) => [a.crm_id, a]));

  it("is what the generator writes, byte for byte", () => {
    const files = renderSampleCsv(buildSampleData());
    for (const file of SAMPLE_FILES) {
      expect(readFileSync(join(SAMPLE_DIR, file), "utf8"), file).toBe(files[file]);
    }
  });

  it("changes with the seed, so the byte-for-byte check is not comparing constants", () => {
    expect(renderSampleCsv(buildSampleData(7))["accounts.csv"]).not.toBe(
      renderSampleCsv(buildSampleData())["accounts.csv"],
    );
  });

  it.each([
    ["territories", () => territories.length, 5, 7],
    ["reps", () => reps.length, 12, 12],
    ["accounts", () => accounts.length, 280, 320],
    ["named accounts", () => accounts.filter((a) => a.named === "true").length, 12, 18],
    ["white-space accounts", () => accounts.filter((a) => a.owner_email === "").length, 35, 45],
    [
      "stale accounts (> 90 days)",
      () => accounts.filter((a) => daysBeforeReference(a.last_activity_at) > 90).length,
      20,
      120,
    ],
    ["subsidiaries", () => accounts.filter((a) => a.parent_crm_id !== "").length, 3, 20],
    ["opportunities", () => opportunities.length, 200, 300],
    ["open opportunities", () => opportunities.filter((o) => o.is_open === "true").length, 60, 200],
    ["closed opportunities", () => opportunities.filter((o) => o.is_open === "false").length, 60, 200],
    ["reseller deals", () => opportunities.filter((o) => o.source === "reseller").length, 15, 25],
  ] as const)("has a plausible number of %s", (_, count, min, max) => {
    expect(count()).toBeGreaterThanOrEqual(min);
    expect(count()).toBeLessThanOrEqual(max);
  });

  it("has unique keys: territory names, rep emails and Slack ids, CRM ids, account names and domains", () => {
    expect(duplicates(territories.map((t) => t.name))).toEqual([]);
    expect(duplicates(reps.map((r) => r.email))).toEqual([]);
    expect(duplicates(reps.map((r) => r.slack_user_id).filter((id) => id !== ""))).toEqual([]);
    // 18-character Salesforce ids are unique regardless of case; the sample keeps to that.
    expect(duplicates([...accounts, ...opportunities].map((x) => x.crm_id.toLowerCase()))).toEqual([]);
    expect(duplicates(accounts.map((a) => a.name.toLowerCase()))).toEqual([]);
    expect(duplicates(accounts.flatMap((a) => list(a.domain)))).toEqual([]);
  });

  it("has the team the design describes: one RevOps arbiter-admin, two managers, mixed ramp", () => {
    expect(reps.filter((r) => r.roles === "admin;arbiter").map((r) => r.name)).toHaveLength(1);
    expect(reps.filter((r) => list(r.roles).includes("manager"))).toHaveLength(2);
    expect(new Set(reps.map((r) => r.capacity_weight))).toEqual(new Set(["0.5", "1.0", "1.2"]));
    expect(reps.some((r) => r.slack_user_id === "")).toBe(true);
  });

  it("resolves every reference: rep territories, owners, parents, opportunity accounts", () => {
    for (const r of reps) {
      // Only the RevOps head, who carries no book, may have no territory.
      if (r.territory === "") expect(list(r.roles)).not.toContain("rep");
      else expect(territoryNames, r.email).toContain(r.territory);
    }
    for (const a of accounts) {
      if (a.owner_email !== "") expect(repEmails, a.crm_id).toContain(a.owner_email);
      if (a.parent_crm_id !== "") {
        expect(accountById.has(a.parent_crm_id), a.crm_id).toBe(true);
        expect(a.parent_crm_id).not.toBe(a.crm_id);
      }
    }
    for (const o of opportunities) {
      expect(accountById.has(o.account_crm_id), o.crm_id).toBe(true);
      if (o.owner_email !== "") expect(repEmails, o.crm_id).toContain(o.owner_email);
    }
    for (const t of territories) {
      for (const industry of list(t.industries)) expect(INDUSTRIES).toContain(industry);
    }
  });

  it("keeps account facts consistent: size band, region, industry, activity not in the future", () => {
    for (const a of accounts) {
      expect(a.size_band, a.name).toBe(bandOf(Number(a.employees)));
      expect(REGION_OF_COUNTRY.get(a.country), a.name).toBe(a.region);
      expect(INDUSTRIES, a.name).toContain(a.industry);
      expect(daysBeforeReference(a.last_activity_at), a.name).toBeGreaterThanOrEqual(0);
      if (a.named === "true") expect(a.size_band, a.name).toBe("ENT");
    }
  });

  it("keeps opportunity facts consistent: stage matches open flag, reseller named only on reseller deals", () => {
    for (const o of opportunities) {
      expect(o.is_open === "false", o.crm_id).toBe(o.stage.startsWith("Closed"));
      expect(o.reseller !== "", o.crm_id).toBe(o.source === "reseller");
    }
  });

  it("has parent/subsidiary pairs across regions, each subsidiary with its own domain", () => {
    const crossRegion = accounts.filter((a) => {
      const parent = accountById.get(a.parent_crm_id);
      if (parent === undefined) return false;
      const parentDomains = new Set(list(parent.domain));
      return parent.region !== a.region && list(a.domain).every((d) => !parentDomains.has(d));
    });
    expect(crossRegion.length).toBeGreaterThanOrEqual(3);
  });

  it("has the reseller overlap case: reseller deals on accounts in a direct rep's book", () => {
    const onOwned = opportunities.filter(
      (o) => o.source === "reseller" && (accountById.get(o.account_crm_id)?.owner_email ?? "") !== "",
    );
    expect(onOwned.length).toBeGreaterThanOrEqual(5);
  });

  it("has Globex Corporation, owned by Dana Whitfield, with Globex Deutschland GmbH in EMEA", () => {
    const dana = reps.find((r) => r.email === "dana@turf-demo.example");
    expect(dana?.name).toBe("Dana Whitfield");
    const globex = accounts.find((a) => a.name === "Globex Corporation");
    expect(globex).toMatchObject({
      crm_id: "001000000000GLOBEX",
      domain: "globex.com",
      region: "NA",
      owner_email: "dana@turf-demo.example",
    });
    const subsidiary = accounts.find((a) => a.name === "Globex Deutschland GmbH");
    expect(subsidiary).toMatchObject({
      domain: "globex.de",
      region: "EMEA",
      parent_crm_id: "001000000000GLOBEX",
    });
    expect(opportunities.filter((o) => o.account_crm_id === "001000000000GLOBEX").length).toBeGreaterThan(0);
  });

  it("needs real CSV quoting for at least one account name, and keeps non-ASCII intact", () => {
    const raw = readFileSync(join(SAMPLE_DIR, "accounts.csv"), "utf8");
    expect(raw).toContain('"Rookhaven, Marsh & Pell LLP"');
    expect(accounts.map((a) => a.name)).toContain("Ébène Conseil SAS");
  });
});

describe("the benchmark book", () => {
  const options = { accounts: 12_000, reps: 40, seed: 3 };
  const book = generateBook(options);

  it("is deterministic for a seed and different for another seed", () => {
    expect(generateBook({ ...options, accounts: 500 })).toEqual(generateBook({ ...options, accounts: 500 }));
    expect(generateBook({ ...options, accounts: 500, seed: 4 }).accounts).not.toEqual(
      generateBook({ ...options, accounts: 500 }).accounts,
    );
  });

  it("streams the same rows it returns in memory", () => {
    expect(Array.from(generateAccountRows(options))).toEqual(book.accounts);
    expect(Array.from(generateOpportunityRows(options))).toEqual(book.opportunities);
  });

  it("never produces two brand + noun combinations that read the same in a domain", () => {
    const bases = BRAND_WORDS.flatMap((b) =>
      INDUSTRIES.flatMap((i) => INDUSTRY_NOUNS[i].map((n) => slug(b + n))),
    );
    expect(duplicates(bases)).toEqual([]);
  });

  it("keeps names, domains and CRM ids unique past the point where word pairs run out", () => {
    expect(duplicates(book.accounts.map((a) => a.name.toLowerCase()))).toEqual([]);
    expect(duplicates(book.accounts.flatMap((a) => list(a.domain)))).toEqual([]);
    expect(duplicates(book.accounts.map((a) => a.crm_id))).toEqual([]);
    expect(duplicates(book.opportunities.map((o) => o.crm_id))).toEqual([]);
    expect(duplicates(book.reps.map((r) => r.email))).toEqual([]);
  });

  it("produces rows that pass the same checks as the sample, with every reference resolving", () => {
    const ids = new Set(book.accounts.map((a) => a.crm_id));
    const emails = new Set(book.reps.map((r) => r.email));
    const territories = new Set(book.territories.map((t) => ZTerritoryRow.parse(t).name));
    for (const r of book.reps) expect(territories).toContain(ZRepRow.parse(r).territory);
    for (const a of book.accounts) {
      ZAccountRow.parse(a);
      expect(a.size_band).toBe(bandOf(Number(a.employees)));
      expect(REGION_OF_COUNTRY.get(a.country)).toBe(a.region);
      if (a.parent_crm_id !== "") expect(ids.has(a.parent_crm_id)).toBe(true);
      if (a.owner_email !== "") expect(emails.has(a.owner_email)).toBe(true);
    }
    for (const o of book.opportunities) {
      ZOpportunityRow.parse(o);
      expect(ids.has(o.account_crm_id)).toBe(true);
    }
    const ratio = book.opportunities.length / book.accounts.length;
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(0.9);
  });

  it("writes the four import files, streaming, with the same rows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "turf-book-"));
    try {
      const small = { accounts: 300, reps: 12, seed: 9 };
      const files = await writeBookCsvFiles(dir, small);
      const expected = generateBook(small);
      expect(parse(readFileSync(files.accounts, "utf8"), { columns: true })).toEqual(expected.accounts);
      expect(parse(readFileSync(files.opportunities, "utf8"), { columns: true })).toEqual(
        expected.opportunities,
      );
      expect(parse(readFileSync(files.reps, "utf8"), { columns: true })).toEqual(expected.reps);
      expect(parse(readFileSync(files.territories, "utf8"), { columns: true })).toEqual(expected.territories);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("round-trips through CSV, quotes and all", () => {
    const rows: AccountRow[] = [
      ...book.accounts.slice(0, 50),
      { ...(book.accounts[0] as AccountRow), name: 'Quote "Co", Ltd\nSecond line', domain: "a.com;b.de" },
    ];
    expect(parse(toCsv(ACCOUNT_COLUMNS, rows), { columns: true })).toEqual(rows);
  });
});
