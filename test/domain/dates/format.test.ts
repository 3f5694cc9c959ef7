import { describe, expect, it } from "vitest";
import { isoDay, readableDateTime, readableDay } from "../../../src/domain/dates/format.ts";
import { fiscalQuarterOf, nextQuarterStart } from "../../../src/domain/rebalance/quarters.ts";

describe("dates in the company's time zone", () => {
  // The case: fiscal year from February, company in Berlin. FY2028-Q1 starts at midnight
  // Berlin on 1 Feb 2027, which is still 31 Jan in UTC.
  const berlin = { startMonth: 2, timeZone: "Europe/Berlin" };
  const start = nextQuarterStart(new Date("2026-12-15T12:00:00Z"), berlin);

  it("quarter starts are company-zone midnights", () => {
    expect(start.toISOString()).toBe("2027-01-31T23:00:00.000Z");
    expect(fiscalQuarterOf(start, berlin).label).toBe("FY2028-Q1");
  });

  it("reads 2027-02-01 / 1 Feb 2027 in Berlin, never the UTC day", () => {
    expect(isoDay(start, "Europe/Berlin")).toBe("2027-02-01");
    expect(readableDay(start, "Europe/Berlin")).toBe("1 Feb 2027");
    expect(readableDateTime(start, "Europe/Berlin")).toBe("1 Feb 2027, 00:00 GMT+1");
    expect(isoDay(start, "UTC")).toBe("2027-01-31");
  });

  it("Los Angeles: midnight is 08:00 UTC, and late evening is still the previous day", () => {
    const la = { startMonth: 1, timeZone: "America/Los_Angeles" };
    const q = nextQuarterStart(new Date("2026-12-15T12:00:00Z"), la);
    expect(q.toISOString()).toBe("2027-01-01T08:00:00.000Z");
    expect(isoDay(q, "America/Los_Angeles")).toBe("2027-01-01");
    expect(readableDay(q, "America/Los_Angeles")).toBe("1 Jan 2027");
    const evening = new Date("2026-11-03T05:30:00Z");
    expect(isoDay(evening, "America/Los_Angeles")).toBe("2026-11-02");
    expect(readableDateTime(evening, "America/Los_Angeles")).toBe("2 Nov 2026, 21:30 PST");
  });

  it("follows daylight saving time", () => {
    expect(readableDateTime(new Date("2026-07-01T10:00:00Z"), "Europe/Berlin")).toBe(
      "1 Jul 2026, 12:00 GMT+2",
    );
  });
});
