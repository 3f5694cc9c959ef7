import { describe, expect, it } from "vitest";
import {
  DEFAULT_SIGNAL_POLICY,
  deliverableAt,
  pickMotionRep,
  type RouteFacts,
  routeSignal,
  windowStart,
} from "../../../src/domain/signals/index.ts";

const NOW = new Date("2026-11-30T12:00:00Z");
const DAY = 24 * 3_600_000;

function facts(over: Partial<RouteFacts> = {}, account: Partial<RouteFacts["account"]> = {}): RouteFacts {
  return {
    account: {
      name: "Acme",
      icpFit: 4,
      sizeBand: "MM",
      lastActivityAt: new Date(NOW.getTime() - 10 * DAY),
      ...account,
    },
    owner: {
      repId: "dana",
      name: "Dana",
      active: true,
      motions: [],
      since: new Date(NOW.getTime() - 400 * DAY),
    },
    ruleAssignee: { repId: "lee", name: "Lee", ruleText: "NA Commercial" },
    productMotion: null,
    now: NOW,
    ...over,
  };
}

describe("routeSignal (the guide's Signal-Aware Territory Workflow)", () => {
  it.each([
    ["fits the ICP, owned, active → the rep of record", facts(), "owner", "dana"],
    ["below the ICP fit → recorded only", facts({}, { icpFit: 2 }), "record", undefined],
    ["no ICP score → recorded only", facts({}, { icpFit: null }), "record", undefined],
    ["white space that fits → the territory rules' rep", facts({ owner: null }), "assign", "lee"],
    ["white space no rule assigns → RevOps", facts({ owner: null, ruleAssignee: null }), "revops", undefined],
    [
      "stale owner (no activity in 90 days) → back through the rules",
      facts({}, { lastActivityAt: new Date(NOW.getTime() - 91 * DAY) }),
      "assign",
      "lee",
    ],
    [
      "inactive owner → back through the rules",
      facts({ owner: { repId: "dana", name: "Dana", active: false, motions: [], since: null } }),
      "assign",
      "lee",
    ],
    [
      "stale owner the rules give the account to anyway → the owner",
      facts({ ruleAssignee: { repId: "dana", name: "Dana", ruleText: "NA" } }, { lastActivityAt: null }),
      "owner",
      "dana",
    ],
    [
      "a second product motion → that motion's rep, owner told",
      facts({
        productMotion: { motion: "data-cloud", territory: "Overlay", rep: { repId: "olga", name: "Olga" } },
      }),
      "motion",
      "olga",
    ],
    [
      "the owner already sells that motion → the owner",
      facts({
        owner: { repId: "dana", name: "Dana", active: true, motions: ["data-cloud"], since: null },
        productMotion: { motion: "data-cloud", territory: "Overlay", rep: { repId: "olga", name: "Olga" } },
      }),
      "owner",
      "dana",
    ],
    [
      "a motion with nobody to take it → RevOps",
      facts({ productMotion: { motion: "data-cloud", territory: "Overlay", rep: null } }),
      "revops",
      undefined,
    ],
  ])("%s", (_name, input, kind, repId) => {
    const decision = routeSignal(input, DEFAULT_SIGNAL_POLICY);
    expect(decision.kind).toBe(kind);
    expect("repId" in decision ? decision.repId : undefined).toBe(repId);
    expect(decision.reason.length).toBeGreaterThan(10);
  });

  it("does not call an owner stale who took the account within the stale window (no ping-pong between reps)", () => {
    const recent = facts(
      {
        owner: { repId: "lee", name: "Lee", active: true, motions: [], since: new Date(NOW.getTime() - DAY) },
      },
      { lastActivityAt: null },
    );
    expect(routeSignal(recent, DEFAULT_SIGNAL_POLICY)).toMatchObject({ kind: "owner", repId: "lee" });
  });

  it("keeps signals with a stale owner when the policy says so", () => {
    const decision = routeSignal(facts({}, { lastActivityAt: null }), {
      ...DEFAULT_SIGNAL_POLICY,
      stalePolicy: "owner",
    });
    expect(decision).toMatchObject({ kind: "owner", repId: "dana" });
    expect(decision.reason).toMatch(/stale-ownership policy keeps signals with the owner/);
  });

  it("routes only the configured size bands", () => {
    const policy = { ...DEFAULT_SIGNAL_POLICY, sizeBands: ["ENT" as const] };
    expect(routeSignal(facts(), policy).kind).toBe("record");
    expect(routeSignal(facts({}, { sizeBand: "ENT" }), policy).kind).toBe("owner");
  });
});

describe("pickMotionRep", () => {
  it("gives a new motion account to the rep with the most room for their capacity, by name on a tie", () => {
    const reps = [
      { repId: "a", name: "Ana", capacityWeight: 1, motionAccounts: 4 },
      { repId: "b", name: "Ben", capacityWeight: 0.5, motionAccounts: 1 },
      { repId: "c", name: "Cai", capacityWeight: 1, motionAccounts: 2 },
      { repId: "d", name: "Dee", capacityWeight: 0, motionAccounts: 0 },
    ];
    expect(pickMotionRep(reps)?.repId).toBe("b"); // 1/0.5 = 2 ties Cai's 2/1, and Ben sorts first
    expect(pickMotionRep([{ repId: "d", name: "Dee", capacityWeight: 0, motionAccounts: 0 }])).toBeNull();
  });
});

describe("windows and quiet hours", () => {
  it("puts signals in fixed windows", () => {
    expect(windowStart(new Date("2026-11-30T12:59:59Z"), 60).toISOString()).toBe("2026-11-30T12:00:00.000Z");
    expect(windowStart(new Date("2026-11-30T13:00:00Z"), 60).toISOString()).toBe("2026-11-30T13:00:00.000Z");
  });

  it.each([
    ["day in Berlin: now", "2026-11-30T12:00:00Z", "Europe/Berlin", "2026-11-30T12:00:00.000Z"],
    ["23:30 in Berlin: 08:00 Berlin", "2026-11-30T22:30:00Z", "Europe/Berlin", "2026-12-01T07:00:00.000Z"],
    [
      "01:00 in Los Angeles: 08:00 there",
      "2026-11-30T09:00:00Z",
      "America/Los_Angeles",
      "2026-11-30T16:00:00.000Z",
    ],
    ["21:00 sharp is night", "2026-11-30T21:00:00Z", "UTC", "2026-12-01T08:00:00.000Z"],
    ["08:00 sharp is day", "2026-11-30T08:00:00Z", "UTC", "2026-11-30T08:00:00.000Z"],
  ])("%s", (_name, at, zone, expected) => {
    expect(deliverableAt(new Date(at), zone).toISOString()).toBe(expected);
  });

  it("lands on the first day minute across a daylight-saving change (Berlin, last Sunday of March)", () => {
    const at = new Date("2027-03-27T23:30:00Z"); // 00:30 CET on the night clocks go forward
    expect(deliverableAt(at, "Europe/Berlin").toISOString()).toBe("2027-03-28T06:00:00.000Z"); // 08:00 CEST
  });
});
