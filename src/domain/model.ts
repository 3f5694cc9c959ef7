// The domain's vocabulary, shared by the rules engine, scoring, the rebalance draft and the
// dispute state machine. Plain data only: no Prisma, no Slack, no clock reads.

export const SIZE_BANDS = ["SMB", "MM", "ENT"] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];

export const REP_ROLES = ["rep", "manager", "arbiter", "admin"] as const;
export type RepRole = (typeof REP_ROLES)[number];

export const TERRITORY_MODELS = ["geographic", "vertical", "size", "named", "hybrid"] as const;
export type TerritoryModel = (typeof TERRITORY_MODELS)[number];

export const OPPORTUNITY_SOURCES = ["direct", "reseller"] as const;
export type OpportunitySource = (typeof OPPORTUNITY_SOURCES)[number];

export const RULE_KINDS = ["decision", "named", "overlap", "territory", "manual"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const DISPUTE_CATEGORIES = [
  "international_expansion",
  "reseller_channel",
  "named_account",
  "parent_subsidiary",
  "segment_change",
  "other",
] as const;
export type DisputeCategory = (typeof DISPUTE_CATEGORIES)[number];

export const DISPUTE_STATUSES = ["open", "info_requested", "resolved", "escalated", "withdrawn"] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export type Rep = {
  id: string;
  slackUserId: string | null;
  email: string;
  name: string;
  team: string | null;
  roles: RepRole[];
  /** 1.0 full ramp, 0.5 half ramp, 1.2 over capacity. */
  capacityWeight: number;
  active: boolean;
  territoryIds: string[];
};

export type Territory = {
  id: string;
  name: string;
  model: TerritoryModel;
  regions: string[];
  industries: string[];
  sizeBands: SizeBand[];
};

export type Opportunity = {
  id: string;
  crmId: string;
  accountId: string;
  ownerRepId: string | null;
  amount: number;
  stage: string;
  isOpen: boolean;
  source: OpportunitySource;
  reseller: string | null;
};

export type Account = {
  id: string;
  crmId: string;
  name: string;
  domains: string[];
  parentId: string | null;
  country: string | null;
  region: string | null;
  industry: string | null;
  employees: number | null;
  sizeBand: SizeBand | null;
  /** 1 (poor) … 5 (ideal customer profile). */
  icpFit: number | null;
  lastActivityAt: Date | null;
  named: boolean;
};
