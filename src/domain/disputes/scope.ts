// Rule scopes an arbiter can choose for a decision, the matcher each one becomes, and the
// decision rule to persist. The matcher format is the one src/domain/rules/matcher.ts reads.
import { z } from "zod";
import type { Account, DisputeCategory, Opportunity, SizeBand } from "../model.ts";
import { SIZE_BANDS } from "../model.ts";

export const ZRuleScope = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("account_only"), accountCrmId: z.string().min(1) }),
  z.object({ kind: z.literal("same_parent"), parentCrmId: z.string().min(1) }),
  z.object({ kind: z.literal("same_reseller"), reseller: z.string().min(1) }),
  z.object({
    kind: z.literal("region_expansion"),
    region: z.string().min(1),
    sizeBand: z.enum(SIZE_BANDS).nullable(),
  }),
  z.object({ kind: z.literal("same_domain"), domain: z.string().min(1) }),
]);
export type RuleScope = z.infer<typeof ZRuleScope>;
export type RuleScopeKind = RuleScope["kind"];

export const SCOPE_MATCHER_FIELDS = [
  "account.crmId",
  "account.domain",
  "account.parentCrmId",
  "account.region",
  "account.sizeBand",
  "opportunity.reseller",
] as const;
export type ScopeMatcherField = (typeof SCOPE_MATCHER_FIELDS)[number];
export type ScopeCondition = { field: ScopeMatcherField; op: "eq"; value: string };
export type ScopeMatcher = { all: ScopeCondition[] };

/** Coverage of a rep, as far as scope proposals care. */
export type RepCoverage = { repId: string; regions: string[]; teams: string[]; sizeBands: SizeBand[] };

export type CaseFacts = {
  account: Account;
  parentCrmId: string | null;
  parentName: string | null;
  category: DisputeCategory;
  openOpportunities: Opportunity[];
  claimant: RepCoverage;
  owner: RepCoverage | null;
};

export type ScopeProposal = { scope: RuleScope; label: string };

export type ScopeNames = { accountName?: string; parentName?: string | null };

/** Plain-language label for a scope, as the decision modal shows it. */
export function scopeLabel(scope: RuleScope, names: ScopeNames = {}): string {
  switch (scope.kind) {
    case "account_only":
      return `Only ${names.accountName ?? `account ${scope.accountCrmId}`}`;
    case "same_parent":
      return `Every subsidiary of ${names.parentName ?? `account ${scope.parentCrmId}`}`;
    case "same_reseller":
      return `Every account with a deal through ${scope.reseller}`;
    case "region_expansion":
      return scope.sizeBand === null
        ? `Every account in ${scope.region}`
        : `Every ${scope.sizeBand} account in ${scope.region}`;
    case "same_domain":
      return `Every account on ${scope.domain}`;
  }
}

// Pattern scopes that speak to each category come first, so the modal leads with the likely one.
const LEADING_PATTERN: Record<DisputeCategory, RuleScopeKind | null> = {
  international_expansion: "region_expansion",
  reseller_channel: "same_reseller",
  parent_subsidiary: "same_parent",
  segment_change: "region_expansion",
  named_account: null,
  other: null,
};

/**
 * The scopes an arbiter can choose from for this case: always "this account only", then the
 * patterns the facts support — the parent if there is one, each reseller on an open deal, the
 * account's region (with its size band) when the case is about expansion or segment, or when
 * the claimant covers a region the owner does not, and the account's primary domain.
 */
export function proposeRuleScopes(facts: CaseFacts): ScopeProposal[] {
  const { account } = facts;
  const names: ScopeNames = { accountName: account.name, parentName: facts.parentName };
  const patterns: RuleScope[] = [];

  if (facts.parentCrmId !== null && facts.parentCrmId !== "") {
    patterns.push({ kind: "same_parent", parentCrmId: facts.parentCrmId });
  }

  const resellers = new Set<string>();
  for (const opportunity of facts.openOpportunities) {
    const reseller = opportunity.reseller?.trim();
    if (opportunity.isOpen && opportunity.source === "reseller" && reseller) resellers.add(reseller);
  }
  for (const reseller of [...resellers].sort()) patterns.push({ kind: "same_reseller", reseller });

  for (const region of expansionRegions(facts)) {
    patterns.push({ kind: "region_expansion", region, sizeBand: account.sizeBand });
  }

  const domain = account.domains[0]?.trim().toLowerCase();
  if (domain) patterns.push({ kind: "same_domain", domain });

  const leading = LEADING_PATTERN[facts.category];
  const ordered = [
    ...patterns.filter((scope) => scope.kind === leading),
    ...patterns.filter((scope) => scope.kind !== leading),
  ];
  return [{ kind: "account_only", accountCrmId: account.crmId } as const, ...ordered].map((scope) => ({
    scope,
    label: scopeLabel(scope, names),
  }));
}

function expansionRegions(facts: CaseFacts): string[] {
  const region = facts.account.region;
  const aboutExpansion = facts.category === "international_expansion" || facts.category === "segment_change";
  if (region !== null && region !== "") {
    const claimantCoversOnly =
      facts.claimant.regions.includes(region) && !(facts.owner?.regions.includes(region) ?? false);
    return aboutExpansion || claimantCoversOnly ? [region] : [];
  }
  // Without a region on the account, the regions only the claimant covers are the expansion.
  if (facts.category !== "international_expansion") return [];
  const ownerRegions = new Set(facts.owner?.regions ?? []);
  return [...new Set(facts.claimant.regions)].filter((r) => !ownerRegions.has(r)).sort();
}

export function scopeToMatcher(scope: RuleScope): ScopeMatcher {
  const eq = (field: ScopeMatcherField, value: string): ScopeCondition => ({ field, op: "eq", value });
  switch (scope.kind) {
    case "account_only":
      return { all: [eq("account.crmId", scope.accountCrmId)] };
    case "same_parent":
      return { all: [eq("account.parentCrmId", scope.parentCrmId)] };
    case "same_reseller":
      return { all: [eq("opportunity.reseller", scope.reseller)] };
    case "region_expansion":
      return {
        all:
          scope.sizeBand === null
            ? [eq("account.region", scope.region)]
            : [eq("account.region", scope.region), eq("account.sizeBand", scope.sizeBand)],
      };
    case "same_domain":
      return { all: [eq("account.domain", scope.domain)] };
  }
}

/**
 * Decision rules are ordered most specific first (design: "most specific matcher first"):
 * one account, then one domain, one corporate family, one reseller, a region and band, a region.
 */
export function scopePriority(scope: RuleScope): number {
  switch (scope.kind) {
    case "account_only":
      return 100;
    case "same_domain":
      return 80;
    case "same_parent":
      return 60;
    case "same_reseller":
      return 40;
    case "region_expansion":
      return scope.sizeBand === null ? 20 : 30;
  }
}
