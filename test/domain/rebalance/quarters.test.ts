import { describe, expect, it } from "vitest";
import {
  fiscalQuarterOf,
  nextQuarterStart,
  parseQuarterLabel,
  ZFiscalCalendar,
} from "../../../src/domain/rebalance/quarters.ts";

describe("fiscalQuarterOf", () => {
  it.each([
    // date (UTC), startMonth, timeZone, label, start, end
    ["2026-05-15T12:00:00Z", 1, "UTC", "FY2026-Q2", "2026-04-01T00:00:00.000Z", "2026-07-01T00:00:00.000Z"],
    ["2026-01-31T23:59:59Z", 2, "UTC", "FY2026-Q4", "2025-11-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"],
    ["2026-02-01T00:00:00Z", 2, "UTC", "FY2027-Q1", "2026-02-01T00:00:00.000Z", "2026-05-01T00:00:00.000Z"],
    ["2026-12-20T00:00:00Z", 10, "UTC", "FY2027-Q1", "2026-10-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    // 1 Apr 00:30 in Berlin is still 31 Mar in UTC: the company's zone decides the quarter.
    [
      "2026-03-31T22:30:00Z",
      1,
      "Europe/Berlin",
      "FY2026-Q2",
      "2026-03-31T22:00:00.000Z",
      "2026-06-30T22:00:00.000Z",
    ],
    ["2026-03-31T22:30:00Z", 1, "UTC", "FY2026-Q1", "2026-01-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"],
    // New York: quarter starts at local midnight, across the DST change (EST → EDT in March).
    [
      "2026-02-10T00:00:00Z",
      1,
      "America/New_York",
      "FY2026-Q1",
      "2026-01-01T05:00:00.000Z",
      "2026-04-01T04:00:00.000Z",
    ],
    [
      "2026-11-15T00:00:00Z",
      7,
      "Australia/Sydney",
      "FY2027-Q2",
      "2026-09-30T14:00:00.000Z",
      "2026-12-31T13:00:00.000Z",
    ],
  ] as const)("%s with start month %i in %s is %s", (date, startMonth, timeZone, label, start, end) => {
    const q = fiscalQuarterOf(new Date(date), { startMonth, timeZone });
    expect(q.label).toBe(label);
    expect(q.start.toISOString()).toBe(start);
    expect(q.end.toISOString()).toBe(end);
  });

  it("names fiscal years after their start year when asked", () => {
    expect(
      fiscalQuarterOf(new Date("2026-03-01T00:00:00Z"), { startMonth: 2, yearNaming: "start" }).label,
    ).toBe("FY2026-Q1");
  });

  it("rejects a zone that does not exist and a month out of range", () => {
    expect(ZFiscalCalendar.safeParse({ timeZone: "Mars/Olympus" }).success).toBe(false);
    expect(ZFiscalCalendar.safeParse({ startMonth: 13 }).success).toBe(false);
  });
});

describe("nextQuarterStart", () => {
  it.each([
    ["2026-05-15T12:00:00Z", 1, "UTC", "2026-07-01T00:00:00.000Z"],
    ["2026-06-30T21:59:59Z", 1, "Europe/Berlin", "2026-06-30T22:00:00.000Z"],
    ["2026-06-30T22:00:00Z", 1, "Europe/Berlin", "2026-09-30T22:00:00.000Z"],
  ] as const)(
    "moves proposed at %s (start month %i, %s) take effect at %s",
    (now, startMonth, timeZone, expected) => {
      expect(nextQuarterStart(new Date(now), { startMonth, timeZone }).toISOString()).toBe(expected);
    },
  );
});

describe("parseQuarterLabel", () => {
  it.each(["FY2027-Q1", "fy2027 q1", "FY2027Q1"])("reads %s", (label) => {
    const q = parseQuarterLabel(label, { startMonth: 2 });
    expect(q.ok && q.value.label).toBe("FY2027-Q1");
    expect(q.ok && q.value.start.toISOString()).toBe("2026-02-01T00:00:00.000Z");
  });

  it.each(["Q1", "FY27-Q1", "FY2027-Q5", ""])("refuses %j", (label) => {
    const q = parseQuarterLabel(label);
    expect(q.ok).toBe(false);
  });

  it("round-trips every quarter of a year with its label", () => {
    for (const startMonth of [1, 2, 4, 7, 11]) {
      for (const m of [0, 2, 5, 8, 11]) {
        const q = fiscalQuarterOf(new Date(Date.UTC(2026, m, 15)), { startMonth, timeZone: "Asia/Tokyo" });
        const back = parseQuarterLabel(q.label, { startMonth, timeZone: "Asia/Tokyo" });
        expect(back.ok && back.value).toEqual(q);
      }
    }
  });
});
