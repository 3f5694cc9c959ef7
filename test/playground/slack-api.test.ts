// The playground's local Slack Web API, through Slack's own WebClient: it refuses what Slack refuses
// (unknown methods, bad tokens, missing arguments, Block Kit over the limits, stale trigger ids,
// view hash conflicts) and keeps what it accepts as the page's state.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebAPICallResult, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/config/clock.ts";
import { blocksProblems, viewProblems } from "../../src/playground/block-kit.ts";
import { decodeArgs, PlaygroundSlack } from "../../src/playground/slack-api.ts";
import { botUser, type WorkspaceUser } from "../../src/playground/workspace.ts";
import { appHomeView, searchModal } from "../../src/slack/views/app-home.ts";
import { filingModal } from "../../src/slack/views/disputes/filing-modal.ts";
import { ownerHelp } from "../../src/slack/views/help.ts";
import { draftingModal, messageModal } from "../../src/slack/views/rebalance/preview-modal.ts";

const TOKEN = "xoxb-playground-unit";
const HANNAH: WorkspaceUser = {
  id: "U0X46LDYZAB",
  name: "hannah",
  realName: "Hannah Vogel",
  email: "hannah@turf-demo.example",
  tz: "Europe/Berlin",
  title: "International · rep",
  roles: ["rep"],
  isBot: false,
};

const wall = fixedClock(new Date("2026-11-02T09:00:00Z"));
let slack: PlaygroundSlack;
let server: Server;
let client: WebClient;

// Slack's WebClient throws on ok:false; the tests read the error code and Slack's messages.
async function refusal(call: Promise<WebAPICallResult>): Promise<{ error: string; messages: string[] }> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error?: string; response_metadata?: { messages?: string[] } } }).data;
    return { error: String(data?.error), messages: data?.response_metadata?.messages ?? [] };
  }
  throw new Error("the call was accepted");
}

beforeAll(async () => {
  slack = new PlaygroundSlack({ token: TOKEN, users: [HANNAH, botUser()], clock: wall, wallClock: wall });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const args = decodeArgs(
        Buffer.concat(chunks).toString(),
        String(req.headers["content-type"]),
        url.searchParams,
      );
      const bearer = req.headers.authorization?.replace(/^Bearer /, "");
      const answer = slack.call(url.pathname.replace("/api/", ""), args ?? {}, bearer);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  client = new WebClient(TOKEN, { slackApiUrl: url, retryConfig: { retries: 0 } });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("the local Web API", () => {
  it("answers auth.test as Slack does and refuses a wrong or missing token", async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: "U0TURFBOT1", team_id: "T0TURF0001" });
    const wrong = new WebClient("xoxb-someone-else", {
      slackApiUrl: client.slackApiUrl,
      retryConfig: { retries: 0 },
    });
    expect((await refusal(wrong.auth.test())).error).toBe("invalid_auth");
    expect(slack.call("auth.test", {}, undefined)).toEqual({ ok: false, error: "not_authed" });
    expect((await refusal(client.apiCall("chat.scheduleMessage", { channel: "C0SALES001" }))).error).toBe(
      "unknown_method",
    );
  });

  it("refuses missing required arguments and messages with neither text nor blocks", async () => {
    const missing = await refusal(client.apiCall("chat.postMessage", { text: "hi" }));
    expect(missing).toEqual({
      error: "invalid_arguments",
      messages: ["[ERROR] missing required field: channel"],
    });
    expect((await refusal(client.chat.postMessage({ channel: "C0SALES001" } as never))).error).toBe(
      "no_text",
    );
    expect((await refusal(client.chat.postMessage({ channel: "C0NOWHERE1", text: "hi" }))).error).toBe(
      "channel_not_found",
    );
  });

  it("keeps posted messages, opens one DM per person, and updates bot messages in place", async () => {
    const opened = await client.conversations.open({ users: HANNAH.id });
    expect(opened.channel?.id).toBe("D0X46LDYZAB");
    const posted = await client.chat.postMessage({ channel: "D0X46LDYZAB", text: "Your dispute was filed" });
    const updated = await client.chat.update({
      channel: "D0X46LDYZAB",
      ts: String(posted.ts),
      text: "Decided",
    });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: "Decided" });
    expect(slack.findMessage("D0X46LDYZAB", String(posted.ts))).toMatchObject({
      text: "Decided",
      edited: true,
    });
    const ephemeral = await client.chat.postEphemeral({
      channel: "C0SALES001",
      user: HANNAH.id,
      text: "psst",
    });
    expect(slack.findMessage("C0SALES001", String(ephemeral.message_ts))?.ephemeralTo).toBe(HANNAH.id);
    // Slack keeps no ephemeral messages, so there is nothing to update.
    expect(
      (
        await refusal(
          client.chat.update({ channel: "C0SALES001", ts: String(ephemeral.message_ts), text: "x" }),
        )
      ).error,
    ).toBe("message_not_found");
    const info = await client.users.info({ user: HANNAH.id });
    expect(info.user).toMatchObject({ tz: "Europe/Berlin", tz_offset: 3600, real_name: "Hannah Vogel" });
  });

  it("refuses Block Kit over Slack's limits with invalid_blocks and a JSON pointer to the problem", async () => {
    const tooLong = await refusal(
      client.chat.postMessage({
        channel: "C0SALES001",
        text: "x",
        blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }],
      }),
    );
    expect(tooLong).toEqual({
      error: "invalid_blocks",
      messages: ["[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]"],
    });
    const divider = { type: "divider" };
    expect(blocksProblems(Array(51).fill(divider), "message")).toEqual([
      "[ERROR] no more than 50 items allowed [json-pointer:/blocks]",
    ]);
    expect(blocksProblems(Array(51).fill(divider), "view")).toEqual([]);
    expect(blocksProblems([{ type: "carousel" }], "message")[0]).toContain("/blocks/0");
    expect(
      blocksProblems(
        [
          { type: "section", block_id: "a", text: { type: "mrkdwn", text: "x" } },
          { type: "section", block_id: "a", fields: [] },
        ],
        "message",
      ),
    ).toEqual([
      "[ERROR] block_id already exists: a [json-pointer:/blocks/1/block_id]",
      "[ERROR] must provide at least one field [json-pointer:/blocks/1/fields]",
    ]);
    const button = {
      type: "button",
      text: { type: "plain_text", text: "Go" },
      action_id: "go",
      value: "v".repeat(2001),
    };
    expect(blocksProblems([{ type: "actions", elements: [button] }], "message")).toEqual([
      "[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
    ]);
    const options = Array.from({ length: 101 }, (_, i) => ({
      text: { type: "plain_text", text: `o${i}` },
      value: `${i}`,
    }));
    expect(
      blocksProblems(
        [{ type: "actions", elements: [{ type: "static_select", action_id: "s", options }] }],
        "message",
      ),
    ).toEqual(["[ERROR] must provide at most 100 items [json-pointer:/blocks/0/elements/0/options]"]);
    // A text input belongs in an input block, never in an actions block.
    expect(
      blocksProblems(
        [{ type: "actions", elements: [{ type: "plain_text_input", action_id: "t" }] }],
        "message",
      ),
    ).toEqual(["[ERROR] failed to match all allowed schemas [json-pointer:/blocks/0/elements/0]"]);
  });

  it("accepts every kind of message and view Turf builds", () => {
    expect(blocksProblems(ownerHelp().blocks, "message")).toEqual([]);
    for (const view of [
      appHomeView({
        repName: "Hannah Vogel",
        recentLookups: [{ query: "globex.de", at: new Date() }],
        timeZone: "UTC",
      }),
      searchModal(),
      draftingModal(),
      messageModal("Published", "Done"),
      filingModal({
        account: { id: "a1", name: "Globex Deutschland GmbH", crmId: "001000000000GLOBDE" },
        currentOwner: { name: "Dana Whitfield", slackUserId: "U0L4A5HCGZ2" },
        claimantSlackUserId: HANNAH.id,
      }),
    ]) {
      expect(viewProblems(view)).toEqual([]);
    }
  });

  it("opens a modal once per trigger id, within Slack's 3 seconds", async () => {
    const modal = { type: "modal", title: { type: "plain_text", text: "Turf" }, blocks: [] };
    const trigger = slack.issueTrigger(HANNAH.id);
    const opened = await client.views.open({ trigger_id: trigger, view: modal as never });
    expect(slack.topModal(HANNAH.id)?.id).toBe(opened.view?.id);
    expect((await refusal(client.views.open({ trigger_id: trigger, view: modal as never }))).error).toBe(
      "exchanged_trigger_id",
    );
    const late = slack.issueTrigger(HANNAH.id);
    wall.advance(3_001);
    expect((await refusal(client.views.open({ trigger_id: late, view: modal as never }))).error).toBe(
      "expired_trigger_id",
    );
    expect((await refusal(client.views.open({ trigger_id: "1.2.nope", view: modal as never }))).error).toBe(
      "invalid_trigger_id",
    );
    const titled = { ...modal, title: { type: "plain_text", text: "A title longer than 24 chars" } };
    const tooLong = await refusal(
      client.views.open({ trigger_id: slack.issueTrigger(HANNAH.id), view: titled as never }),
    );
    expect(tooLong.messages).toEqual([
      "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]",
    ]);
    const input = {
      type: "input",
      label: { type: "plain_text", text: "Q" },
      element: { type: "plain_text_input" },
    };
    const noSubmit = { ...modal, blocks: [input] };
    expect(viewProblems(noSubmit)).toEqual([
      "[ERROR] submit is required when the view has input blocks [json-pointer:/view/submit]",
    ]);
  });

  it("updates a view in place by id, and refuses a stale hash", async () => {
    const modal = { type: "modal", title: { type: "plain_text", text: "Turf" }, blocks: [] };
    const opened = await client.views.open({
      trigger_id: slack.issueTrigger(HANNAH.id),
      view: modal as never,
    });
    const id = String(opened.view?.id);
    const hash = String(opened.view?.hash);
    const next = { ...modal, title: { type: "plain_text", text: "Updated" } };
    const updated = await client.views.update({ view_id: id, hash, view: next as never });
    expect(updated.view?.id).toBe(id);
    expect(slack.topModal(HANNAH.id)?.view.title).toEqual({ type: "plain_text", text: "Updated" });
    expect((await refusal(client.views.update({ view_id: id, hash, view: next as never }))).error).toBe(
      "hash_conflict",
    );
    expect((await refusal(client.views.update({ view_id: "V0NOPE", view: next as never }))).error).toBe(
      "not_found",
    );
    const home = await client.views.publish({
      user_id: HANNAH.id,
      view: appHomeView({ repName: null, recentLookups: [], timeZone: "UTC" }) as never,
    });
    expect(slack.homes.get(HANNAH.id)).toBe(home.view?.id);
  });
});
