// A signed request is refused when its timestamp is more than five minutes ahead of the server, as
// Bolt already refuses one more than five minutes old; a small clock skew still passes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFromTheFuture } from "../../src/slack/future-timestamps.ts";
import { slashCommand } from "../harness/slack-payloads.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

describe("requests signed in the future", () => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf();
  });
  afterAll(async () => turf.stop());

  it.each([
    [0, false],
    [300, false],
    [301, true],
    [3600, true],
    [-3600, false], // the past is Bolt's check (stale requests)
  ])("%i s ahead: refused %s", (ahead, refused) => {
    const now = 1_790_000_000_000;
    expect(isFromTheFuture(String(now / 1000 + ahead), now)).toBe(refused);
  });

  it("answers 401 to a request signed six minutes ahead and does no work; four minutes ahead is answered", async () => {
    const now = Math.floor(Date.now() / 1000);
    const responseUrl = turf.fake.responseUrl();
    const ahead = await turf.send(
      slashCommand({ command: "/owner", text: "globex.com", userId: "U0TESTREP1", responseUrl }),
      {
        timestamp: now + 6 * 60,
      },
    );
    expect(ahead.status).toBe(401);
    expect(turf.fake.responses.filter((r) => r.url === responseUrl)).toHaveLength(0);

    const skewUrl = turf.fake.responseUrl();
    const skewed = await turf.send(
      slashCommand({ command: "/owner", text: "globex.com", userId: "U0TESTREP1", responseUrl: skewUrl }),
      {
        timestamp: now + 4 * 60,
      },
    );
    expect(skewed.status).toBe(200);
    expect(turf.fake.responses.filter((r) => r.url === skewUrl)).toHaveLength(1);
  });
});
