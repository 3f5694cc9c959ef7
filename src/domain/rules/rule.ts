// A rule is data an admin or an arbiter writes once so the same ownership question never needs a
// human again. Dates are coerced so rules can live as JSON or YAML files in version control.

import { z } from "zod";
import type { RuleKind, Territory } from "../model.ts";
import { RULE_KINDS } from "../model.ts";
import type { Matcher, ParseResult } from "./matcher.ts";
import { formatIssues, plainError, ZMatcher } from "./matcher.ts";

export const ZOutcome = z.discriminatedUnion("type", [
  z.object({ type: z.literal("rep"), repId: z.string().min(1) }).strict(),
  z.object({ type: z.literal("territory"), territoryId: z.string().min(1) }).strict(),
  z.object({ type: z.literal("keep_current") }).strict(),
]);
export type Outcome = z.infer<typeof ZOutcome>;

/** A manager's written sign-off that a reseller-registered deal goes to a channel rep instead. */
export const ZChannelException = z
  .object({
    accountCrmId: z.string().min(1),
    repId: z.string().min(1),
    signedOffBy: z.string().min(1),
    registeredAt: z.coerce.date(),
    signedOffAt: z.coerce.date(),
  })
  .strict();
export type ChannelException = z.infer<typeof ZChannelException>;

export const OVERLAP_TYPES = ["reseller_channel", "international_expansion", "parent_subsidiary"] as const;
export type OverlapType = (typeof OVERLAP_TYPES)[number];

export const ZOverlap = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("reseller_channel"),
      /** Hours after registration within which a manager's sign-off still counts (the guide: 48). */
      signOffHours: z.number().positive().default(48),
      exceptions: z.array(ZChannelException).default([]),
    })
    .strict(),
  z
    .object({
      type: z.literal("international_expansion"),
      /** Limits which territories count as "a separate international team"; all territories when absent. */
      internationalTerritoryIds: z.array(z.string().min(1)).optional(),
    })
    .strict(),
  z.object({ type: z.literal("parent_subsidiary") }).strict(),
]);
export type Overlap = z.infer<typeof ZOverlap>;

export const ZProvenance = z
  .object({ by: z.string().min(1), at: z.coerce.date(), disputeId: z.string().min(1).optional() })
  .strict();
export type Provenance = z.infer<typeof ZProvenance>;

export const ZRule = z
  .object({
    id: z.string().min(1),
    kind: z.enum(RULE_KINDS),
    matcher: ZMatcher,
    outcome: ZOutcome,
    /** Higher wins among rules of the same tier and specificity. */
    priority: z.number().int().default(0),
    text: z.string().trim().min(1),
    provenance: ZProvenance,
    overlap: ZOverlap.optional(),
    active: z.boolean().default(true),
    createdAt: z.coerce.date(),
    /**
     * An admin's date for the rule: the changes it makes wait until then (stored as pending changes).
     * Absent: at once, except named-account moves, which wait for the next fiscal quarter.
     */
    effectiveAt: z.coerce.date().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.kind === "overlap" && rule.overlap === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["overlap"],
        message: `an overlap rule needs an overlap type (one of ${OVERLAP_TYPES.join(", ")})`,
      });
    }
    if (rule.kind !== "overlap" && rule.overlap !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["overlap"],
        message: `only overlap rules take an overlap type, not ${rule.kind} rules`,
      });
    }
    if (rule.kind === "overlap" && rule.outcome.type !== "keep_current") {
      ctx.addIssue({
        code: "custom",
        path: ["outcome", "type"],
        message:
          'overlap rules decide the owner from their overlap type; their outcome must be "keep_current"',
      });
    }
  });

/** A rule as stored and evaluated. `matcher` is typed as the condition tree. */
export type Rule = Omit<z.infer<typeof ZRule>, "matcher" | "kind"> & { matcher: Matcher; kind: RuleKind };
export type TRule = Rule;

/** Parses a rule from JSON or YAML-decoded data; errors read `matcher.all[1].field: …`. */
export function parseRule(json: unknown): ParseResult<Rule> {
  const parsed = ZRule.safeParse(json, { error: plainError });
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: formatIssues(parsed.error) };
}

/**
 * Precedence tiers from design.md, highest first. Manual overrides share the top tier with dispute
 * decisions: both are a human's decision about specific accounts, so neither should be overruled by a
 * list or a territory; specificity then orders them.
 */
export const TIER_OF_KIND: Record<RuleKind, number> = {
  decision: 1,
  manual: 1,
  named: 2,
  overlap: 3,
  territory: 4,
};

export const TIER_NAMES: Record<number, string> = {
  1: "decision or manual override",
  2: "named-account list",
  3: "overlap rule",
  4: "territory rule",
  5: "unassigned (white space)",
};

export type RuleMeta = { id: string; by: string; at: Date; priority?: number; text?: string };

/** The territory's written criteria as a matcher; named-model or criteria-less territories have none. */
export function territoryMatcher(
  territory: Territory,
): { ok: true; value: Matcher } | { ok: false; error: string } {
  if (territory.model === "named") {
    return {
      ok: false,
      error: `territory ${territory.name} is a named-account territory; use a named rule listing its accounts`,
    };
  }
  const parts: Matcher[] = [];
  if (territory.regions.length > 0)
    parts.push({ field: "account.region", op: "in", value: [...territory.regions] });
  if (territory.industries.length > 0)
    parts.push({ field: "account.industry", op: "in", value: [...territory.industries] });
  if (territory.sizeBands.length > 0)
    parts.push({ field: "account.sizeBand", op: "in", value: [...territory.sizeBands] });
  if (parts.length === 0) {
    return {
      ok: false,
      error: `territory ${territory.name} has no regions, industries or size bands to match on`,
    };
  }
  return { ok: true, value: parts.length === 1 ? (parts[0] as Matcher) : { all: parts } };
}

export function territoryRuleFromTerritory(
  territory: Territory,
  meta: RuleMeta,
): { ok: true; value: Rule } | { ok: false; error: string } {
  const matcher = territoryMatcher(territory);
  if (!matcher.ok) return matcher;
  return {
    ok: true,
    value: {
      id: meta.id,
      kind: "territory",
      matcher: matcher.value,
      outcome: { type: "territory", territoryId: territory.id },
      priority: meta.priority ?? 0,
      text: meta.text ?? `Accounts matching the ${territory.model} criteria of territory ${territory.name}`,
      provenance: { by: meta.by, at: meta.at },
      active: true,
      createdAt: meta.at,
    },
  };
}

/**
 * The guide's written overlap rules ("publish to the team Friday"), ready to store. The engine tries
 * them in the guide's order whatever their priority (ordering.ts): reseller channel, then
 * international expansion (which decides subsidiaries in a region their parent's rep does not
 * cover), then parent/subsidiary for every other subsidiary. The priorities say the same, so a
 * listing sorted by priority reads in evaluation order.
 */
export function writtenOverlapRules(meta: { by: string; at: Date; idPrefix?: string }): Rule[] {
  const p = meta.idPrefix ?? "overlap";
  const base = { kind: "overlap" as const, outcome: { type: "keep_current" as const }, active: true };
  const provenance = { by: meta.by, at: meta.at };
  return [
    {
      ...base,
      id: `${p}-reseller-channel`,
      matcher: { field: "opportunity.source", op: "eq", value: "reseller" },
      overlap: { type: "reseller_channel", signOffHours: 48, exceptions: [] },
      priority: 30,
      text: "A reseller-registered deal leaves the direct rep as rep of record; channel exceptions need manager sign-off within 48 hours",
      provenance,
      createdAt: meta.at,
    },
    {
      ...base,
      id: `${p}-international-expansion`,
      matcher: { field: "account.region", op: "exists", value: true },
      overlap: { type: "international_expansion" },
      priority: 20,
      text: "International expansion: the original rep (a subsidiary's parent's rep) keeps an account expanding into a new region unless a separate international team with a different size band owns that region",
      provenance,
      createdAt: meta.at,
    },
    {
      ...base,
      id: `${p}-parent-subsidiary`,
      matcher: { field: "account.parentCrmId", op: "exists", value: true },
      overlap: { type: "parent_subsidiary" },
      priority: 10,
      text: "A subsidiary follows its parent's owner unless a higher rule says otherwise",
      provenance,
      createdAt: meta.at,
    },
  ];
}
