// One zod schema per CSV kind: every cell arrives as a string and leaves typed, or with a message that
// names the column and what it expects. Columns are documented in the README ("CSV formats").
import { z } from "zod";
import { OPPORTUNITY_SOURCES, REP_ROLES, SIZE_BANDS, TERRITORY_MODELS } from "../../domain/model.ts";

const list = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(";")
      .map((s) => s.trim())
      .filter(Boolean),
  );
const optionalText = z
  .string()
  .default("")
  .transform((v) => (v.trim() === "" ? null : v.trim()));
const required = (what: string) =>
  z
    .string({ error: `is required (${what})` })
    .trim()
    .min(1, `is required (${what})`);
const bool = z
  .string()
  .default("false")
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.enum(["true", "false", "yes", "no", "1", "0", ""], { error: 'must be "true" or "false"' }))
  .transform((v) => v === "true" || v === "yes" || v === "1");
const optionalInt = (min: number, max: number, what: string) =>
  z
    .string()
    .default("")
    .transform((v) => v.trim().replace(/[,_ ]/g, ""))
    .refine((v) => v === "" || /^-?\d+$/.test(v), `must be a whole number (${what})`)
    .transform((v) => (v === "" ? null : Number(v)))
    .refine((v) => v === null || (v >= min && v <= max), `must be between ${min} and ${max} (${what})`);
/** 2026-10-31 or 2026-10-31T09:00:00Z; the day must exist (no 2026-02-30, no bare "1"). */
export function parseIsoDate(v: string): Date | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      v,
    );
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day
  )
    return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return null;
  const date = new Date(m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : v.replace(" ", "T"));
  return Number.isNaN(date.getTime()) ? null : date;
}
const optionalDate = z
  .string()
  .default("")
  .transform((v) => v.trim())
  .refine((v) => v === "" || parseIsoDate(v) !== null, "must be a date that exists, written like 2026-10-31")
  .transform((v) => (v === "" ? null : parseIsoDate(v)));

export const ZTerritoryRow = z.object({
  name: required("the territory's name"),
  model: z.enum(TERRITORY_MODELS, { error: `must be one of ${TERRITORY_MODELS.join(", ")}` }),
  regions: list,
  industries: list,
  size_bands: list.pipe(
    z.array(z.enum(SIZE_BANDS, { error: `each must be one of ${SIZE_BANDS.join(", ")}` })),
  ),
});

export const ZRepRow = z.object({
  email: z.email("must be an e-mail address").transform((v) => v.toLowerCase()),
  name: required("the rep's full name"),
  slack_user_id: optionalText.refine(
    (v) => v === null || /^[UW][A-Z0-9]{2,}$/.test(v),
    "must be a Slack user id like U0123ABCD",
  ),
  team: optionalText,
  roles: list
    .pipe(z.array(z.enum(REP_ROLES, { error: `each must be one of ${REP_ROLES.join(", ")}` })))
    .transform((r) => (r.length ? r : ["rep" as const])),
  capacity_weight: z
    .string()
    .default("1.0")
    .transform((v) => (v.trim() === "" ? "1.0" : v.trim()))
    .refine((v) => /^\d+(\.\d+)?$/.test(v), "must be a number like 1.0, 0.5 or 1.2")
    .transform(Number)
    .refine((v) => v >= 0.1 && v <= 2, "must be between 0.1 and 2"),
  territory: list,
  active: z
    .string()
    .default("true")
    .transform((v) => v.trim().toLowerCase())
    .refine((v) => ["", "true", "false", "yes", "no", "1", "0"].includes(v), 'must be "true" or "false"')
    .transform((v) => v === "" || v === "true" || v === "yes" || v === "1"),
});

export const ZAccountRow = z.object({
  crm_id: required("the CRM account id"),
  name: required("the account name"),
  domain: list,
  parent_crm_id: optionalText,
  country: optionalText.transform((v) => v?.toUpperCase() ?? null),
  region: optionalText.transform((v) => v?.toUpperCase() ?? null),
  industry: optionalText,
  employees: optionalInt(0, 10_000_000, "employee count"),
  size_band: optionalText.pipe(
    z.enum(SIZE_BANDS, { error: `must be one of ${SIZE_BANDS.join(", ")}` }).nullable(),
  ),
  icp_fit: optionalInt(1, 5, "ICP fit 1–5"),
  last_activity_at: optionalDate,
  named: bool,
  owner_email: optionalText
    .transform((v) => v?.toLowerCase() ?? null)
    .pipe(z.email("must be the owner's e-mail address").nullable()),
});

export const ZOpportunityRow = z.object({
  crm_id: required("the CRM opportunity id"),
  account_crm_id: required("the account's CRM id"),
  owner_email: optionalText
    .transform((v) => v?.toLowerCase() ?? null)
    .pipe(z.email("must be the owner's e-mail address").nullable()),
  amount: z
    .string()
    .default("0")
    .transform((v) => v.trim().replace(/[,_ $€£]/g, "") || "0")
    .refine((v) => !v.startsWith("-"), "must not be negative")
    .refine(
      (v) => v.startsWith("-") || /^\d+(\.\d{1,2})?$/.test(v),
      "must be an amount like 125000 or 125000.50",
    )
    .refine((v) => !/^\d{13,}/.test(v), "must be below 1,000,000,000,000"),
  stage: required("the sales stage"),
  is_open: bool,
  source: optionalText
    .transform((v) => v?.toLowerCase() ?? "direct")
    .pipe(z.enum(OPPORTUNITY_SOURCES, { error: 'must be "direct" or "reseller"' })),
  reseller: optionalText,
});

/** arbiters.csv: one row per team or territory (exactly one of the two), imported after reps. */
export const ZArbiterRow = z
  .object({
    team: optionalText,
    territory: optionalText,
    arbiter_email: z.email("must be the arbiter's e-mail address").transform((v) => v.toLowerCase()),
    backup_arbiter_email: optionalText
      .transform((v) => v?.toLowerCase() ?? null)
      .pipe(z.email("must be the backup arbiter's e-mail address").nullable()),
  })
  .refine((r) => (r.team === null) !== (r.territory === null), {
    message: "name either a team or a territory (exactly one)",
    path: ["team"],
  })
  .transform((r) => ({ ...r, key: r.team !== null ? `team:${r.team}` : `territory:${r.territory}` }));

export type TerritoryRow = z.infer<typeof ZTerritoryRow>;
export type ArbiterRow = z.infer<typeof ZArbiterRow>;
export type RepRow = z.infer<typeof ZRepRow>;
export type AccountRow = z.infer<typeof ZAccountRow>;
export type OpportunityRow = z.infer<typeof ZOpportunityRow>;

export const IMPORT_KINDS = ["territories", "reps", "accounts", "opportunities", "arbiters"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const REQUIRED_COLUMNS: Record<ImportKind, readonly string[]> = {
  territories: ["name", "model"],
  reps: ["email", "name"],
  accounts: ["crm_id", "name"],
  opportunities: ["crm_id", "account_crm_id", "stage", "is_open"],
  arbiters: ["arbiter_email"],
};

/** Every column a file of each kind may have: the schema's keys. Anything else is an error. */
export const KNOWN_COLUMNS: Record<ImportKind, readonly string[]> = {
  territories: Object.keys(ZTerritoryRow.shape),
  reps: Object.keys(ZRepRow.shape),
  accounts: Object.keys(ZAccountRow.shape),
  opportunities: Object.keys(ZOpportunityRow.shape),
  arbiters: ["team", "territory", "arbiter_email", "backup_arbiter_email"],
};

export const ROW_SCHEMAS = {
  territories: ZTerritoryRow,
  reps: ZRepRow,
  accounts: ZAccountRow,
  opportunities: ZOpportunityRow,
  arbiters: ZArbiterRow,
} as const;

/** "size_band must be one of SMB, MM, ENT" — the column first, as the admin sees it in the file. */
export function describeRowIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "row"} ${issue.message}`).join("; ");
}
