// The column lists bulk writes send to insertRows (src/db/bulk-insert.ts), one per table, in the
// order callers give values. Kept in one place so the importer, re-evaluation and the benchmarks
// write the same rows the same way.
import type { BulkColumn } from "./bulk-insert.ts";

const text = (name: string): BulkColumn => ({ name, type: "text" });
const timestamp = (name: string): BulkColumn => ({ name, type: "timestamp(3)" });

/** id, crmId, name, normalizedName, compactName, coreName, acronym, parentId, country, region,
 * industry, employees, sizeBand, icpFit, lastActivityAt, named, updatedAt */
export const ACCOUNT_COLUMNS: BulkColumn[] = [
  text("id"),
  text("crmId"),
  text("name"),
  text("normalizedName"),
  text("compactName"),
  text("coreName"),
  text("acronym"),
  text("parentId"),
  text("country"),
  text("region"),
  text("industry"),
  { name: "employees", type: "integer" },
  { name: "sizeBand", type: '"SizeBand"' },
  { name: "icpFit", type: "integer" },
  timestamp("lastActivityAt"),
  { name: "named", type: "boolean" },
  timestamp("updatedAt"),
];

/** accountId, domain, label */
export const DOMAIN_COLUMNS: BulkColumn[] = [text("accountId"), text("domain"), text("label")];

/** id, accountId, repId, ruleId, cause, note, effectiveFrom */
export const OWNERSHIP_COLUMNS: BulkColumn[] = [
  text("id"),
  text("accountId"),
  text("repId"),
  text("ruleId"),
  { name: "cause", type: '"OwnershipCause"' },
  text("note"),
  timestamp("effectiveFrom"),
];

/** at, actor, action, subjectType, subjectId, ruleId, details */
export const AUDIT_COLUMNS: BulkColumn[] = [
  timestamp("at"),
  text("actor"),
  text("action"),
  text("subjectType"),
  text("subjectId"),
  text("ruleId"),
  { name: "details", type: "jsonb" },
];

/** id, crmId, accountId, ownerRepId, amount, stage, isOpen, source, reseller, updatedAt */
export const OPPORTUNITY_COLUMNS: BulkColumn[] = [
  text("id"),
  text("crmId"),
  text("accountId"),
  text("ownerRepId"),
  { name: "amount", type: "numeric(14,2)" },
  text("stage"),
  { name: "isOpen", type: "boolean" },
  { name: "source", type: '"OpportunitySource"' },
  text("reseller"),
  timestamp("updatedAt"),
];
