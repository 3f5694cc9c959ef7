import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, isValidSlackRequest, LogLevel } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postToApp } from "../harness/bolt-http.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../harness/fake-slack-api.ts";
import {
  blockAction,
  defaultWorkspace,
  eventCallback,
  MESSAGE_IM_EXTRA_FIELDS,
  messageShortcut,
  type SlackRequest,
  slashCommand,
  viewClosed,
  viewSubmission,
} from "../harness/slack-payloads.ts";
import { fieldsOutsideShape, loadApiResponseShape, loadShape } from "../harness/slack-shapes.ts";
import { signSlackRequest } from "../harness/slack-signature.ts";

// These tests prove the harness itself, against Slack's own artefacts and a real Bolt app, so
// the Turf Slack tests built on it can trust what it sends and what it records.

const SIGNING_SECRET = "harness-test-signing-secret";
const BOT_TOKEN = "xoxb-0000000000-harness-test";

describe("signSlackRequest", () => {
  it("reproduces the worked example in Slack's request-verification guide", () => {
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(signSlackRequest(body, "8f742231b10e8888abcd99yyyzzz85a5", 1531420618)).toEqual({
      "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      "x-slack-request-timestamp": "1531420618",
    });
  });

  it.each([
    ["the same body and secret", "body", SIGNING_SECRET, true],
    ["a different secret", "body", "other-secret", false],
  ])("is accepted by Bolt's own verifier when signed with %s", (_label, body, secret, valid) => {
    const now = 1767225600;
    const headers = signSlackRequest(body, secret, now);
    expect(
      isValidSlackRequest({
        signingSecret: SIGNING_SECRET,
        body,
        headers: {
          "x-slack-signature": headers["x-slack-signature"],
          "x-slack-request-timestamp": Number(headers["x-slack-request-timestamp"]),
        },
        nowMilliseconds: now * 1000,
      }),
    ).toBe(valid);
  });
});

describe("payload builders", () => {
  const built: [string, () => SlackRequest, readonly string[]][] = [
    ["slashCommand", () => slashCommand({ command: "/owner", text: "acme.com", userId: "U0REP00001" }), []],
    [
      "blockAction on a message",
      () =>
        blockAction({
          actionId: "dispute_open",
          value: "acct_42",
          userId: "U0REP00001",
          message: {
            channelId: "D0TURFDM01",
            ts: "1767225600.000100",
            text: "Acme GmbH is owned by Dana",
            blocks: [{ type: "section", block_id: "answer", text: { type: "mrkdwn", text: "*Acme GmbH*" } }],
          },
        }),
      [],
    ],
    [
      "blockAction on a modal",
      () =>
        blockAction({
          actionId: "pick_rep",
          selectedUser: "U0REP00002",
          userId: "U0REP00001",
          view: { callbackId: "dispute_modal", privateMetadata: "acct_42", values: {} },
        }),
      [],
    ],
    [
      "viewSubmission",
      () =>
        viewSubmission({
          callbackId: "dispute_modal",
          privateMetadata: "acct_42",
          userId: "U0REP00001",
          values: { reason: { reason_input: { type: "plain_text_input", value: "I sourced it" } } },
        }),
      [],
    ],
    ["viewClosed", () => viewClosed({ callbackId: "dispute_modal", userId: "U0REP00001" }), []],
    [
      "messageShortcut",
      () =>
        messageShortcut({
          callbackId: "who_owns_this",
          userId: "U0REP00001",
          message: { text: "Anyone talking to Acme GmbH?", userId: "U0REP00002" },
        }),
      [],
    ],
    ["app_home_opened", () => eventCallback({ type: "app_home_opened", user: "U0REP00001" }), []],
    [
      "app_mention",
      () => eventCallback({ type: "app_mention", user: "U0REP00001", text: "<@U0TURFBOT1> acme.com" }),
      [],
    ],
    [
      "message.im in a thread",
      () =>
        eventCallback({
          type: "message.im",
          user: "U0REP00001",
          text: "here is the contract",
          threadTs: "1767225600.000100",
        }),
      MESSAGE_IM_EXTRA_FIELDS,
    ],
  ];

  it.each(built)("%s sends only fields in Slack's published shape", (_label, build, extra) => {
    const request = build();
    expect(fieldsOutsideShape(request.payload, loadShape(request.shape), extra)).toEqual([]);
  });

  it.each(built)("%s encodes its payload the way Slack does", (_label, build) => {
    const request = build();
    if (request.contentType === "application/json") {
      expect(JSON.parse(request.body)).toEqual(request.payload);
      return;
    }
    const form = new URLSearchParams(request.body);
    const payloadField = form.get("payload");
    if (payloadField !== null) {
      expect(JSON.parse(payloadField)).toEqual(request.payload);
    } else {
      expect(Object.fromEntries(form)).toEqual(
        Object.fromEntries(Object.entries(request.payload).map(([k, v]) => [k, String(v)])),
      );
    }
  });

  it.each([
    [
      "an invented top-level field",
      { ...slashCommand({ command: "/owner", userId: "U0A" }).payload, mood: "happy" },
      ["mood: not in Slack's shape"],
    ],
    [
      "a field of the wrong kind",
      { ...slashCommand({ command: "/owner", userId: "U0A" }).payload, text: { nested: true } },
      ["text: expected string, got object"],
    ],
  ])("the shape check reports %s", (_label, payload, problems) => {
    expect(
      fieldsOutsideShape(payload, loadShape("app-backend/slash-commands/SlashCommandPayload.json")),
    ).toEqual(problems);
  });

  it("reports an invented field deep inside a view's blocks array element", () => {
    const payload = viewSubmission({ callbackId: "x", userId: "U0A" }).payload;
    const view = payload.view as Record<string, unknown>;
    view.title = { type: "plain_text", text: "x", sparkle: true };
    expect(fieldsOutsideShape(payload, loadShape("app-backend/views/ViewSubmissionPayload.json"))).toEqual([
      "view.title.sparkle: not in Slack's shape",
    ]);
  });

  it("gives every request a fresh trigger id in Slack's format", () => {
    const a = slashCommand({ command: "/owner", userId: "U0A" }).payload.trigger_id;
    const b = slashCommand({ command: "/owner", userId: "U0A" }).payload.trigger_id;
    expect(a).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
    expect(a).not.toEqual(b);
  });
});

describe("fake Slack Web API", () => {
  let fake: FakeSlackApi;
  beforeEach(async () => {
    fake = await startFakeSlackApi({
      waitTimeoutMs: 200,
      users: {
        U0REP00001: { tz: "Europe/Berlin", tzOffset: 3600, email: "dana@acme.test", real_name: "Dana Kim" },
      },
    });
  });
  afterEach(async () => {
    await fake.stop();
  });

  const call = (
    method: string,
    init: { body?: string; contentType?: string; httpMethod?: string; token?: string | null } = {},
  ) =>
    fetch(`${fake.url}${method}`, {
      method: init.httpMethod ?? "POST",
      headers: {
        ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? BOT_TOKEN}` }),
        ...(init.contentType ? { "content-type": init.contentType } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    }).then(async (r) => ({
      status: r.status,
      headers: r.headers,
      json: (await r.json()) as Record<string, unknown>,
    }));
  const form = (fields: Record<string, string>) => ({
    body: new URLSearchParams(fields).toString(),
    contentType: "application/x-www-form-urlencoded",
  });

  const wellFormed: [string, Record<string, string>][] = [
    ["auth.test", {}],
    ["chat.postMessage", { channel: "C0SALES001", text: "hello" }],
    ["chat.postEphemeral", { channel: "C0SALES001", user: "U0REP00001", text: "hi" }],
    ["chat.update", { channel: "C0SALES001", ts: "1767225600.000100", text: "edited" }],
    ["conversations.open", { users: "U0REP00001", return_im: "true" }],
    ["users.info", { user: "U0REP00001" }],
    ["users.lookupByEmail", { email: "dana@acme.test" }],
    [
      "views.open",
      {
        trigger_id: "1.2.abc",
        view: JSON.stringify({
          type: "modal",
          callback_id: "m",
          title: { type: "plain_text", text: "T" },
          blocks: [],
        }),
      },
    ],
    [
      "views.push",
      {
        trigger_id: "1.2.abc",
        view: JSON.stringify({
          type: "modal",
          callback_id: "m",
          title: { type: "plain_text", text: "T" },
          blocks: [],
        }),
      },
    ],
    ["views.publish", { user_id: "U0REP00001", view: JSON.stringify({ type: "home", blocks: [] }) }],
    [
      "views.update",
      {
        view_id: "V0ABC",
        view: JSON.stringify({ type: "modal", title: { type: "plain_text", text: "T" }, blocks: [] }),
      },
    ],
  ];

  it.each(wellFormed)("answers %s ok, within Slack's response shape", async (method, args) => {
    const res = await call(method, form(args));
    expect(res.status).toBe(200);
    expect(res.json.ok).toBe(true);
    expect(fieldsOutsideShape(res.json, loadApiResponseShape(method))).toEqual([]);
    expect(fake.violations).toEqual([]);
    expect(fake.callsTo(method)).toHaveLength(1);
  });

  it("decodes JSON-valued form fields and takes the token from the Authorization header", async () => {
    await call(
      "chat.postMessage",
      form({ channel: "C0A", text: "t", blocks: JSON.stringify([{ type: "divider" }]) }),
    );
    const [recorded] = fake.callsTo("chat.postMessage");
    expect(recorded?.args.blocks).toEqual([{ type: "divider" }]);
    expect(recorded?.token).toBe(BOT_TOKEN);
  });

  it("accepts JSON bodies where Slack does, and rejects them where it does not", async () => {
    const ok = await call("chat.postMessage", {
      body: JSON.stringify({ channel: "C0A", text: "t" }),
      contentType: "application/json",
    });
    expect(ok.json.ok).toBe(true);
    const rejected = await call("users.info", {
      body: JSON.stringify({ user: "U0REP00001" }),
      contentType: "application/json",
    });
    expect(rejected.json).toEqual({ ok: false, error: "invalid_arguments" });
    expect(fake.violations.map((v) => v.method)).toEqual(["users.info"]);
  });

  it("answers users.info with the configured time zone and email", async () => {
    const res = await call("users.info", form({ user: "U0REP00001" }));
    expect(res.json.user).toMatchObject({
      id: "U0REP00001",
      tz: "Europe/Berlin",
      tz_offset: 3600,
      real_name: "Dana Kim",
      profile: { email: "dana@acme.test" },
    });
    const unknown = await call("users.info", form({ user: "U0NOBODY01" }));
    expect(unknown.json).toEqual({ ok: false, error: "user_not_found" });
  });

  it("opens the same D… channel for the same user every time", async () => {
    const first = await call("conversations.open", form({ users: "U0REP00001" }));
    const second = await call("conversations.open", form({ users: "U0REP00001" }));
    const id = (first.json.channel as { id: string }).id;
    expect(id).toMatch(/^D/);
    expect((second.json.channel as { id: string }).id).toBe(id);
    expect(second.json.already_open).toBe(true);
  });

  it.each<[string, string, Record<string, string>, string, string]>([
    [
      "a missing required argument",
      "chat.postEphemeral",
      { channel: "C0A", text: "x" },
      "POST",
      "missing required argument(s): user",
    ],
    [
      "a message with neither text nor blocks",
      "chat.postMessage",
      { channel: "C0A" },
      "POST",
      "needs one of",
    ],
    ["views.open without a trigger", "views.open", { view: "{}" }, "POST", "needs one of: trigger_id"],
    [
      "views.update without view_id or external_id",
      "views.update",
      { view: "{}" },
      "POST",
      "needs one of: view_id",
    ],
    [
      "a GET to a POST-only method",
      "chat.postMessage",
      { channel: "C0A", text: "x" },
      "GET",
      "POST required",
    ],
  ])(
    "rejects %s with invalid_arguments and records a violation",
    async (_label, method, args, httpMethod, reason) => {
      const res =
        httpMethod === "GET"
          ? await call(`${method}?${new URLSearchParams(args)}`, { httpMethod: "GET" })
          : await call(method, form(args));
      expect(res.json).toEqual({ ok: false, error: "invalid_arguments" });
      expect(fake.violations).toHaveLength(1);
      expect(fake.violations[0]?.reason).toContain(reason);
    },
  );

  it("accepts a GET (query arguments) for a method Slack documents as GET", async () => {
    const res = await call(`users.info?user=U0REP00001`, { httpMethod: "GET" });
    expect(res.json.ok).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it("answers not_authed without a token", async () => {
    const res = await call("auth.test", { token: null });
    expect(res.json).toEqual({ ok: false, error: "not_authed" });
    expect(fake.violations).toHaveLength(1);
  });

  it("answers unknown_method for a method Slack does not have", async () => {
    const res = await call("chat.postMessagee", form({ channel: "C0A", text: "x" }));
    expect(res.json).toEqual({ ok: false, error: "unknown_method" });
    expect(fake.violations.map((v) => v.reason)).toEqual(["unknown method"]);
  });

  it("fails the next call as told, then answers normally", async () => {
    fake.failNext("chat.postMessage", { error: "channel_not_found" });
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const first = await call("chat.postMessage", form({ channel: "C0GONE0001", text: "x" }));
    const second = await call("chat.postMessage", form({ channel: "C0GONE0001", text: "x" }));
    const third = await call("chat.postMessage", form({ channel: "C0GONE0001", text: "x" }));
    expect(first.json).toEqual({ ok: false, error: "channel_not_found" });
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("7");
    expect(third.json.ok).toBe(true);
    expect(fake.callsTo("chat.postMessage").map((c) => c.outcome)).toEqual([
      "channel_not_found",
      "rate_limited",
      "ok",
    ]);
  });

  it("refuses to fake an error Slack does not document for the method", () => {
    expect(() => fake.failNext("chat.postMessage", { error: "totally_made_up" })).toThrow(
      /does not document/,
    );
  });

  it("resolves waitForCall when a matching call arrives later", async () => {
    const waiting = fake.waitForCall("chat.postMessage", (c) => c.args.channel === "C0LATER001");
    await call("chat.postMessage", form({ channel: "C0OTHER001", text: "x" }));
    await call("chat.postMessage", form({ channel: "C0LATER001", text: "y" }));
    const matched = await waiting;
    expect(matched.args.text).toBe("y");
  });

  it("rejects waitForCall after its deadline, listing the calls it saw", async () => {
    await call("auth.test");
    await expect(fake.waitForCall("chat.postMessage")).rejects.toThrow(
      /no matching chat\.postMessage call.*\n.*auth\.test → ok/s,
    );
  });

  it("settles pending waits when stopped, so no timer outlives the test", async () => {
    const waiting = fake.waitForCall("views.open");
    await fake.stop();
    await expect(waiting).rejects.toThrow(/stopped while waiting for matching views\.open call/);
    fake = await startFakeSlackApi();
  });

  it("records posts to minted response_url links", async () => {
    const url = fake.responseUrl("cmd1");
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "hi" }),
    });
    const reply = await fake.waitForResponse((r) => r.id === "cmd1");
    expect(reply).toMatchObject({ url, body: { text: "hi" } });
  });
});

describe("harness against a real Bolt app over HTTP", () => {
  let fake: FakeSlackApi;
  let app: App;
  let appUrl: string;
  const seen: { kind: string; body: unknown; retryNum?: number }[] = [];

  beforeAll(async () => {
    fake = await startFakeSlackApi({ botUserId: defaultWorkspace.botUserId });
    app = new App({
      signingSecret: SIGNING_SECRET,
      token: BOT_TOKEN,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      // Keeps the 429 test quick; production keeps WebClient's default back-off.
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 1 } },
    });
    app.command("/owner", async ({ ack, command, client, respond, context }) => {
      await ack();
      seen.push({
        kind: "command",
        body: command,
        ...(context.retryNum !== undefined ? { retryNum: context.retryNum } : {}),
      });
      if (command.text === "respond") {
        await respond({ response_type: "ephemeral", text: "via response_url" });
        return;
      }
      await client.chat.postEphemeral({
        channel: command.channel_id,
        user: command.user_id,
        text: `owner of ${command.text}`,
      });
    });
    app.action("dispute_open", async ({ ack, body }) => {
      await ack();
      seen.push({ kind: "action", body });
    });
    app.view("dispute_modal", async ({ ack, view }) => {
      await ack();
      seen.push({ kind: "view_submission", body: view });
    });
    app.view({ callback_id: "dispute_modal", type: "view_closed" }, async ({ ack, view }) => {
      await ack();
      seen.push({ kind: "view_closed", body: view });
    });
    app.shortcut("who_owns_this", async ({ ack, shortcut }) => {
      await ack();
      seen.push({ kind: "shortcut", body: shortcut });
    });
    app.event("app_home_opened", async ({ event }) => {
      seen.push({ kind: "app_home_opened", body: event });
    });
    app.event("app_mention", async ({ event }) => {
      seen.push({ kind: "app_mention", body: event });
    });
    app.message(async ({ message }) => {
      seen.push({ kind: "message", body: message });
    });
    const server = (await app.start(0)) as Server;
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  beforeEach(() => {
    seen.length = 0;
  });

  afterEach(() => {
    expect(fake.violations).toEqual([]);
  });

  const send = (request: SlackRequest, extra: Partial<Parameters<typeof postToApp>[1]> = {}) =>
    postToApp(appUrl, {
      body: request.body,
      contentType: request.contentType,
      signingSecret: SIGNING_SECRET,
      ...extra,
    });

  it("answers the auth.test Bolt fires when it is created", async () => {
    const authTest = await fake.waitForCall("auth.test");
    expect(authTest).toMatchObject({ token: BOT_TOKEN, outcome: "ok" });
  });

  it("delivers a signed /owner command whose handler posts an ephemeral reply through the fake", async () => {
    const res = await send(
      slashCommand({ command: "/owner", text: "acme.com", userId: "U0REP00001", channelId: "C0SALES001" }),
    );
    expect(res.status).toBe(200);
    const reply = await fake.waitForCall("chat.postEphemeral", (c) => c.args.text === "owner of acme.com");
    expect(reply.args).toMatchObject({ channel: "C0SALES001", user: "U0REP00001" });
    expect(reply.token).toBe(BOT_TOKEN);
    expect(reply.outcome).toBe("ok");
  });

  it("routes respond() to the fake's response_url and records the reply", async () => {
    const responseUrl = fake.responseUrl("owner-respond");
    await send(slashCommand({ command: "/owner", text: "respond", userId: "U0REP00001", responseUrl }));
    const reply = await fake.waitForResponse((r) => r.id === "owner-respond");
    expect(reply.body).toMatchObject({ response_type: "ephemeral", text: "via response_url" });
  });

  it.each([
    ["a forged signature", { forgeSignature: true }],
    ["a timestamp older than 5 minutes", { staleBySeconds: 6 * 60 }],
  ])("rejects %s with 401 and runs no handler", async (_label, extra) => {
    const before = fake.calls.length;
    const res = await send(
      slashCommand({ command: "/owner", text: "acme.com", userId: "U0REP00001" }),
      extra,
    );
    expect(res.status).toBe(401);
    expect(seen).toEqual([]);
    expect(fake.calls.length).toBe(before);
  });

  it.each([
    ["a payload field that is not JSON", "payload=%7Bnot-json", "application/x-www-form-urlencoded"],
    ["a JSON body that is not JSON", "{not json", "application/json"],
  ])("rejects a signed request with %s and runs no handler", async (_label, body, contentType) => {
    const before = fake.calls.length;
    const res = await postToApp(appUrl, { body, contentType, signingSecret: SIGNING_SECRET });
    expect(res.status).toBe(400);
    expect(seen).toEqual([]);
    expect(fake.calls.length).toBe(before);
  });

  it("accepts a timestamp 4 minutes old (the stale check is not over-eager)", async () => {
    const res = await send(slashCommand({ command: "/owner", text: "old.com", userId: "U0REP00001" }), {
      staleBySeconds: 4 * 60,
    });
    expect(res.status).toBe(200);
    expect(seen.map((s) => s.kind)).toEqual(["command"]);
  });

  it("passes Slack's retry headers through to the handler's context", async () => {
    await send(slashCommand({ command: "/owner", text: "retry.com", userId: "U0REP00001" }), {
      retry: { num: 1, reason: "http_timeout" },
    });
    expect(seen[0]?.retryNum).toBe(1);
  });

  it("retries after a 429 with Retry-After, as Slack's WebClient does", async () => {
    fake.failNext("chat.postEphemeral", { status: 429, retryAfter: 0 });
    const res = await send(
      slashCommand({ command: "/owner", text: "ratelimited.com", userId: "U0REP00001" }),
    );
    expect(res.status).toBe(200);
    await fake.waitForCall(
      "chat.postEphemeral",
      (c) => c.args.text === "owner of ratelimited.com" && c.outcome === "ok",
    );
    expect(
      fake
        .callsTo("chat.postEphemeral")
        .filter((c) => c.args.text === "owner of ratelimited.com")
        .map((c) => c.outcome),
    ).toEqual(["rate_limited", "ok"]);
  });

  it.each<[string, () => SlackRequest, string]>([
    [
      "a button click",
      () =>
        blockAction({
          actionId: "dispute_open",
          value: "acct_42",
          userId: "U0REP00001",
          message: { channelId: "C0SALES001", ts: "1767225600.000100", text: "Acme" },
        }),
      "action",
    ],
    [
      "a modal submission",
      () => viewSubmission({ callbackId: "dispute_modal", privateMetadata: "acct_42", userId: "U0REP00001" }),
      "view_submission",
    ],
    [
      "a modal closed",
      () => viewClosed({ callbackId: "dispute_modal", userId: "U0REP00001" }),
      "view_closed",
    ],
    [
      "a message shortcut",
      () =>
        messageShortcut({
          callbackId: "who_owns_this",
          userId: "U0REP00001",
          message: { text: "Acme?", userId: "U0REP00002" },
        }),
      "shortcut",
    ],
    [
      "app_home_opened",
      () => eventCallback({ type: "app_home_opened", user: "U0REP00001" }),
      "app_home_opened",
    ],
    [
      "app_mention",
      () => eventCallback({ type: "app_mention", user: "U0REP00001", text: "<@U0TURFBOT1> acme.com" }),
      "app_mention",
    ],
    [
      "a DM (message.im)",
      () => eventCallback({ type: "message.im", user: "U0REP00001", text: "evidence attached" }),
      "message",
    ],
  ])("routes %s to the matching Bolt listener", async (_label, build, kind) => {
    const res = await send(build());
    expect(res.status).toBe(200);
    expect(seen.map((s) => s.kind)).toEqual([kind]);
  });

  it("hands the modal's private_metadata and state values to the view listener", async () => {
    await send(
      viewSubmission({
        callbackId: "dispute_modal",
        privateMetadata: "acct_42",
        userId: "U0REP00001",
        values: { reason: { reason_input: { type: "plain_text_input", value: "I sourced it" } } },
      }),
    );
    expect(seen[0]?.body).toMatchObject({
      private_metadata: "acct_42",
      state: { values: { reason: { reason_input: { value: "I sourced it" } } } },
    });
  });
});
