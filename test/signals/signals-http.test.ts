// Buying signals end to end: signed POST /signals → stored → routed (rules, stale owners, white
// space, second motions) → one DM per account and window through the delivery job → buttons.

import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../../src/http/signature.ts";
import { outboxClient, slackTransport } from "../../src/slack/outbox-transport.ts";
import { slackSignalDelivery } from "../../src/slack/senders/signal-delivery.ts";
import { SIGNAL_ACTION } from "../../src/slack/views/signals/signal-message.ts";
import { blockAction, slashCommand } from "../harness/slack-payloads.ts";
import { databaseKinds } from "../support/databases.ts";
import { BOT_TOKEN, startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const SECRET = "signal-secret-for-tests-0123456789";
const DANA = "U0L4A5HCGZ2";

type Posted = { status: number; json: Record<string, unknown> };

describe.each(databaseKinds())("signals on %s", (kind) => {
  let turf: TurfUnderTest;
  let n = 0;

  beforeAll(async () => {
    turf = await startTurf({
      kind,
      signalSecret: SECRET,
      users: { [DANA]: { tz: "Europe/London", real_name: "Dana Whitfield" } },
      prepare: async (db) => {
        // An overlay team for a second product motion: the guide's "upsell motion belonging to a different team".
        const overlay = await db.prisma.territory.create({
          data: {
            name: "Data Cloud Overlay",
            model: "hybrid",
            regions: [],
            industries: [],
            sizeBands: [],
            motion: "data-cloud",
            productLines: ["Data Cloud"],
          },
        });
        await db.prisma.rep.create({
          data: {
            email: "olga@turf-demo.example",
            name: "Olga Strand",
            slackUserId: "U0OLGASTR1",
            team: "Data Cloud",
            roles: ["rep"],
            territories: { create: { territoryId: overlay.id } },
          },
        });
      },
    });
  }, 120_000);
  afterAll(async () => turf?.stop());

  async function post(
    body: unknown,
    options: { secret?: string; skewSeconds?: number; raw?: string } = {},
  ): Promise<Posted> {
    const text = options.raw ?? JSON.stringify(body);
    const ts = Math.floor(turf.clock.now().getTime() / 1000) - (options.skewSeconds ?? 0);
    const res = await fetch(`${turf.url}/signals`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-turf-request-timestamp": String(ts),
        "x-turf-signature": signBody(options.secret ?? SECRET, ts, text),
      },
      body: text,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  function signal(account: string, extra: Record<string, unknown> = {}) {
    n += 1;
    return {
      id: `sig-${kind}-${n}`,
      account,
      type: "third_party_intent",
      strength: 4,
      occurred_at: turf.clock.now().toISOString(),
      source: "Bombora",
      ...extra,
    };
  }

  // As the delivery job does it (main.ts): due DMs written to the outbox, then sent through the fake
  // Slack by a client with timeouts and no hidden retries.
  const notifier = () =>
    turf.services.outbox.notifier(
      slackTransport(outboxClient(BOT_TOKEN, turf.fake.url)),
      pino({ level: "silent" }),
    );
  const deliver = () =>
    turf.services.signals.deliver(
      { ...slackSignalDelivery(turf.slack.app.client, "UTC"), notifier: notifier() },
      "test",
    );
  const signalCount = () => turf.db.prisma.signal.count();

  it("refuses bad signatures, stale timestamps, malformed bodies and unknown accounts, storing nothing", async () => {
    const before = await signalCount();
    expect((await post(signal("globex.com"), { secret: "someone-elses-secret-000" })).status).toBe(401);
    expect((await post(signal("globex.com"), { skewSeconds: 301 })).status).toBe(401);
    expect((await post(signal("globex.com"), { skewSeconds: -301 })).status).toBe(401);
    const malformed = await post(null, { raw: "{not json" });
    expect(malformed.status).toBe(400);
    const invalid = await post({ ...signal("globex.com"), strength: 9, type: "vibes" });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.json.problems)).toMatch(/strength/);
    expect(JSON.stringify(invalid.json.problems)).toMatch(/type/);
    const unknown = await post(signal("zzqx-no-such-company-widgets"));
    expect(unknown.status).toBe(422);
    expect(String(unknown.json.message)).toMatch(/No account matches/);
    // A batch with one bad signal stores none of them.
    const batch = await post({
      signals: [signal("globex.com"), { ...signal("globex.com"), occurred_at: "yesterday" }],
    });
    expect(batch.status).toBe(400);
    expect(JSON.stringify(batch.json.problems)).toContain("signals[1].occurred_at");
    expect(await signalCount()).toBe(before);
  });

  it("routes a signal on an owned account to the rep of record, once per idempotency key, and DMs them", async () => {
    const s = signal("globex.com", { type: "funding", detail: "Series D, $120M" });
    const first = await post(s);
    expect(first.status).toBe(202);
    expect(first.json.status).toBe("routed");
    expect(String(first.json.reason)).toContain("Dana Whitfield is the rep of record");
    const again = await post(s);
    expect(again.json.status).toBe("duplicate");
    expect(await turf.db.prisma.signal.count({ where: { idempotencyKey: s.id } })).toBe(1);

    const report = await deliver();
    expect(report.delivered).toBe(1);
    const dm = turf.fake.callsTo("chat.postMessage").at(-1);
    const blocks = JSON.stringify(dm?.args.blocks);
    expect(blocks).toContain("Globex Corporation");
    expect(blocks).toContain("Series D");
    expect(blocks).toContain("Recommended next action");
    expect(blocks).toContain(SIGNAL_ACTION.working);
    expect(String(dm?.args.text)).toMatch(/Funding on Globex Corporation/);
    const audit = await turf.db.prisma.auditEvent.findFirst({
      where: { action: "signal.owner" },
      orderBy: { id: "desc" },
    });
    expect(audit?.details).toMatchObject({ type: "funding" });
  });

  it("updates the same DM for more signals on the account within the window", async () => {
    const posts = turf.fake.callsTo("chat.postMessage").length;
    await post(signal("https://www.globex.com/pricing", { type: "meeting_accepted" }));
    await post(signal("001000000000GLOBEX", { type: "stakeholder_added" }));
    const report = await deliver();
    expect(report.delivered).toBe(1);
    expect(turf.fake.callsTo("chat.postMessage")).toHaveLength(posts);
    const update = turf.fake.callsTo("chat.update").at(-1);
    expect(JSON.stringify(update?.args.blocks)).toContain("Meeting accepted");
    expect(JSON.stringify(update?.args.blocks)).toContain("+2 more");
  });

  it("keeps a DM Slack refused in the outbox, posts it once when Slack is back, and edits that one", async () => {
    turf.clock.advance(2 * 60 * 60 * 1000); // a new window: a new DM
    const landed = () =>
      turf.fake
        .callsTo("chat.postMessage")
        .filter((c) => c.outcome === "ok" && String(c.args.text).includes("Globex Corporation"));
    const before = landed().length;
    turf.fake.failNext("chat.postMessage", { status: 503 });
    await post(signal("globex.com", { type: "funding", detail: "Series E", urgent: true }));
    expect(await deliver()).toMatchObject({ queued: 1, delivered: 0, failed: 0 });
    const dm = await turf.db.prisma.outboxMessage.findFirstOrThrow({
      where: { purpose: "signal.dm" },
      orderBy: { createdAt: "desc" },
    });
    expect(dm).toMatchObject({ status: "pending", attempts: 1 });
    const message = await turf.db.prisma.signalMessage.findUniqueOrThrow({
      where: { id: dm.subjectId as string },
    });
    expect(message).toMatchObject({ pending: false, ts: null });
    // Nothing new for the job: the DM is the outbox's now, not queued again.
    expect((await deliver()).queued).toBe(0);

    // A second signal while the post waits: an edit, which waits for the post to land.
    await post(signal("globex.com", { type: "meeting_accepted", urgent: true }));
    expect((await deliver()).queued).toBe(1);
    for (let pass = 0; pass < 3; pass++) {
      turf.clock.advance(5 * 60_000); // past the outbox's backoff
      await notifier().deliverDue();
    }
    expect(landed()).toHaveLength(before + 1);
    const placed = await turf.db.prisma.signalMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect(placed.ts).not.toBeNull();
    const edit = turf.fake.callsTo("chat.update").at(-1);
    expect(edit?.args).toMatchObject({ channel: placed.channel, ts: placed.ts });
    expect(JSON.stringify(edit?.args.blocks)).toContain("Meeting accepted");
    expect(
      await turf.db.prisma.outboxMessage.count({ where: { subjectId: message.id, status: { not: "sent" } } }),
    ).toBe(0);
  });

  it("/owner why lists the account's recent signals and where each went", async () => {
    const responseUrl = turf.fake.responseUrl();
    await turf.send(slashCommand({ command: "/owner", text: "why globex.com", userId: DANA, responseUrl }));
    const reply = turf.fake.responses.find((r) => r.url === responseUrl)?.body as { blocks: unknown[] };
    const blocks = JSON.stringify(reply?.blocks);
    expect(blocks).toContain("Recent buying signals");
    expect(blocks).toMatch(/funding \(strength 4, Bombora\) — Series D, \$120M → sent to \*Dana Whitfield\*/);
    // An account with no signals says nothing about them.
    const other = turf.fake.responseUrl();
    await turf.send(
      slashCommand({ command: "/owner", text: "why brightpathhealth.com", userId: DANA, responseUrl: other }),
    );
    const quiet = turf.fake.responses.find((r) => r.url === other)?.body as { blocks: unknown[] };
    expect(JSON.stringify(quiet?.blocks)).toContain("owns Brightpath");
    expect(JSON.stringify(quiet?.blocks)).not.toContain("Recent buying signals");
  });

  it("records signals on accounts below the ICP fit without routing them", async () => {
    const low = await turf.db.prisma.account.findFirst({
      where: { icpFit: { lt: 3 } },
      orderBy: { crmId: "asc" },
    });
    expect(low).not.toBeNull();
    const res = await post(signal(low?.crmId as string));
    expect(res.json.status).toBe("recorded");
    expect(await turf.db.prisma.signalMessage.count({ where: { accountId: low?.id } })).toBe(0);
  });

  it("assigns ICP-fit white space through the territory rules, recorded as an ownership change with its rule", async () => {
    const candidates = await turf.db.prisma.account.findMany({
      where: {
        icpFit: { gte: 3 },
        named: false,
        ownerships: { none: { effectiveTo: null, repId: { not: null } } },
      },
      orderBy: { crmId: "asc" },
      take: 1,
    });
    const account = candidates[0];
    expect(account).toBeDefined();
    const res = await post(signal(account?.crmId as string, { type: "hiring_spike" }));
    expect(res.status).toBe(202);
    if (res.json.status === "routed") {
      const owner = await turf.db.prisma.ownership.findFirst({
        where: { accountId: account?.id, effectiveTo: null },
      });
      expect(owner?.repId).toBe(
        res.json.status === "routed"
          ? (await turf.db.prisma.signal.findUnique({ where: { idempotencyKey: `sig-${kind}-${n}` } }))
              ?.routedRepId
          : null,
      );
      expect(owner?.cause).toBe("white_space");
      expect(owner?.ruleId).not.toBeNull();
      expect(String(res.json.reason)).toMatch(/white space assigned by the rules/);
      const assigned = await turf.db.prisma.rep.findUniqueOrThrow({ where: { id: owner?.repId as string } });
      const report = await deliver();
      // A rep not yet linked to Slack cannot be DMed: the message waits and says why.
      if (assigned.slackUserId) expect(report.delivered).toBe(1);
      else {
        expect(report.failed).toBe(1);
        const queued = await turf.db.prisma.signalMessage.findFirstOrThrow({ where: { repId: assigned.id } });
        expect(queued.lastError).toMatch(/no Slack user id/);
      }
    } else {
      // No territory rule covers it: RevOps decides, and nothing is guessed.
      expect(res.json.status).toBe("queued");
    }
  });

  it("routes a second product motion to its own team and tells the owner (the guide's unintentional poaching)", async () => {
    turf.clock.advance(2 * 60 * 60 * 1000); // a new window
    const res = await post(signal("globex.com", { type: "product_usage", product_line: "data cloud" }));
    expect(res.json.status).toBe("routed");
    expect(String(res.json.reason)).toMatch(
      /data-cloud motion .*Olga Strand.*Dana Whitfield keeps the account/,
    );
    const olga = await turf.db.prisma.rep.findUniqueOrThrow({ where: { email: "olga@turf-demo.example" } });
    const globex = await turf.db.prisma.account.findUniqueOrThrow({ where: { crmId: "001000000000GLOBEX" } });
    expect(
      await turf.db.prisma.accountMotion.findUnique({
        where: { accountId_motion: { accountId: globex.id, motion: "data-cloud" } },
      }),
    ).toMatchObject({ repId: olga.id });
    // The owner keeps the account.
    const owner = await turf.db.prisma.ownership.findFirst({
      where: { accountId: globex.id, effectiveTo: null },
      include: { rep: true },
    });
    expect(owner?.rep?.name).toBe("Dana Whitfield");
    const posts = turf.fake.callsTo("chat.postMessage").length;
    const report = await deliver();
    expect(report.delivered).toBe(2);
    const sent = turf.fake.callsTo("chat.postMessage").slice(posts);
    const opened = turf.fake
      .callsTo("conversations.open")
      .slice(-2)
      .map((c) => c.args.users);
    expect(opened.sort()).toEqual(["U0OLGASTR1", DANA].sort());
    expect(sent.map((c) => String(c.args.text)).join("\n")).toMatch(
      /FYI: a second product motion on Globex Corporation/,
    );
  });

  it("lets the rep work, snooze or refuse the signal from the DM; only the rep it went to", async () => {
    const message = await turf.db.prisma.signalMessage.findFirstOrThrow({
      where: { kind: "owner", state: "new", ts: { not: null } },
      orderBy: { createdAt: "asc" },
    });
    const rep = await turf.db.prisma.rep.findUniqueOrThrow({ where: { id: message.repId } });
    const click = (actionId: string, userId: string) => {
      const responseUrl = turf.fake.responseUrl();
      return turf
        .send(
          blockAction({
            actionId,
            value: message.id,
            userId,
            responseUrl,
            message: { channelId: message.channel as string, ts: message.ts as string },
          }),
        )
        .then(() => turf.fake.responses.filter((r) => r.url === responseUrl));
    };
    const stranger = await click(SIGNAL_ACTION.working, "U0OLGASTR1");
    expect(String(stranger[0]?.body.text)).toMatch(/Only the rep this signal was routed to/);

    const snoozed = await click(SIGNAL_ACTION.snooze, rep.slackUserId as string);
    expect(JSON.stringify(snoozed[0]?.body.blocks)).toMatch(/Snoozed/);
    // A day later the snoozed signal comes back as a fresh DM.
    const posts = turf.fake.callsTo("chat.postMessage").length;
    turf.clock.advance(25 * 60 * 60 * 1000);
    await deliver();
    expect(turf.fake.callsTo("chat.postMessage").length).toBe(posts + 1);

    const working = await click(SIGNAL_ACTION.working, rep.slackUserId as string);
    expect(JSON.stringify(working[0]?.body.blocks)).toMatch(/You're working it/);
    const row = await turf.db.prisma.signalMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect(row.state).toBe("working");
    expect(row.firstTouchAt).not.toBeNull();
  });

  it("holds a non-urgent DM through the rep's night and sends an urgent one at once", async () => {
    await turf.db.prisma.account.update({
      where: { crmId: "001000000000GLOBEX" },
      data: { lastActivityAt: turf.clock.now() },
    });
    // 23:30 in London.
    turf.clock.set(new Date("2026-11-10T23:30:00Z"));
    await post(signal("globex.com", { type: "email_engagement" }));
    expect((await deliver()).deferred).toBeGreaterThanOrEqual(1);
    await post(signal("globex.com", { type: "champion_job_change", urgent: true }));
    const report = await deliver();
    expect(report.delivered).toBe(1);
    turf.clock.set(new Date("2026-11-11T08:00:00Z"));
    expect((await deliver()).delivered).toBeGreaterThanOrEqual(0);
  });

  it("routes a stored signal whose routing never finished when the sender retries it", async () => {
    const s = signal("globex.com", { type: "stakeholder_added" });
    // As if the process died after storing it and before routing it.
    await turf.db.prisma.signal.create({
      data: {
        idempotencyKey: s.id,
        accountQuery: s.account,
        type: s.type,
        strength: s.strength,
        occurredAt: new Date(s.occurred_at),
        source: s.source,
        receivedAt: turf.clock.now(),
      },
    });
    const retried = await post(s);
    expect(retried.status).toBe(202);
    expect(retried.json.status).toBe("routed");
    const stored = await turf.db.prisma.signal.findMany({ where: { idempotencyKey: s.id } });
    expect(stored.map((x) => x.status)).toEqual(["routed"]);
    expect((await post(s)).json.status).toBe("duplicate");
  });

  it("stores and routes a signal once when its id arrives several times at once", async () => {
    const s = signal("globex.com");
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(s)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202]);
    expect(answers.filter((a) => a.json.status === "routed")).toHaveLength(1);
    expect(answers.filter((a) => a.json.status === "duplicate")).toHaveLength(5);
    const stored = await turf.db.prisma.signal.findMany({ where: { idempotencyKey: s.id } });
    expect(stored).toHaveLength(1);
    const id = stored[0]?.id as string;
    expect(new Set(answers.map((a) => a.json.signal_id))).toEqual(new Set([id]));
    const audits = await turf.db.prisma.auditEvent.findMany({ where: { action: { startsWith: "signal." } } });
    expect(audits.filter((a) => (a.details as { signalId?: string }).signalId === id)).toHaveLength(1);
    const messages = await turf.db.prisma.signalMessage.findMany();
    expect(messages.flatMap((m) => m.signalIds).filter((x) => x === id)).toHaveLength(1);
  });

  it("routes with the book as it is now: an owner deactivated since the last signal is no longer the rep of record", async () => {
    const before = await post(signal("globex.com", { type: "funding" }));
    expect(String(before.json.reason)).toContain("Dana Whitfield is the rep of record");
    await turf.db.prisma.rep.update({ where: { slackUserId: DANA }, data: { active: false } });
    const after = await post(signal("globex.com", { type: "funding" }));
    expect(after.status).toBe(202);
    expect(String(after.json.reason)).not.toContain("Dana Whitfield is the rep of record");
    expect(String(after.json.reason)).toContain("no longer active");
  });
});
