// What Slack's servers do between a person's client and the app: turn a typed command, a click, a
// submitted modal or an opened tab into the payload Slack sends (shapes from Slack's documentation),
// sign it with the app's signing secret, deliver it to the app's HTTP endpoint, and apply the answer
// (modal errors, updates and pushes; response_url replies) to the playground's state.
import { createHmac, randomBytes } from "node:crypto";
import type { Clock } from "../config/clock.ts";
import { viewProblems } from "./block-kit.ts";
import type { PlaygroundSlack, StoredMessage, StoredView } from "./slack-api.ts";
import { CHANNELS, dmChannelOf, WORKSPACE, type WorkspaceUser } from "./workspace.ts";

type Json = Record<string, unknown>;

/** Slash commands and message shortcuts the app's manifest declares. */
export const COMMANDS = ["/owner", "/rebalance"] as const;
export const MESSAGE_SHORTCUTS = [{ callbackId: "who_owns_this", name: "Who owns this?" }] as const;

export type StateValues = Record<string, Record<string, Json>>;

export type ActionInput = {
  userId: string;
  /** Where the element is: a message (channel + ts) or a view (modal / Home). */
  channel?: string;
  ts?: string;
  viewId?: string;
  blockId: string;
  actionId: string;
  /** The element's state after the click (selected_option, selected_user, value…). */
  element: Json;
  state?: StateValues;
};

type ResponseTarget = {
  userId: string;
  channel: string;
  /** The message the interaction came from, for replace_original / delete_original. */
  sourceTs?: string;
  expiresAt: number;
  uses: number;
};

// Slack allows five replies per response_url within 30 minutes.
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60_000;

export type PlatformOptions = {
  slack: PlaygroundSlack;
  signingSecret: string;
  /** The app's request URL (`http://127.0.0.1:<port>/slack/events`). */
  appUrl: () => string;
  /** Where response_url links point (`http://127.0.0.1:<port>/respond/`). */
  respondBase: () => string;
  wallClock: Clock;
  /** Called when a delivery fails, so the page can say so as Slack would. */
  onProblem?: (userId: string, text: string) => void;
};

export class Platform {
  private readonly responseTargets = new Map<string, ResponseTarget>();

  constructor(private readonly o: PlatformOptions) {}

  private get slack() {
    return this.o.slack;
  }

  private user(userId: string): WorkspaceUser {
    const u = this.slack.users.get(userId);
    if (!u) throw new PlaygroundInputError(`No one with the id ${userId} is in this workspace.`);
    return u;
  }

  private channelName(id: string): string {
    return CHANNELS.find((c) => c.id === id)?.name ?? "directmessage";
  }

  private team() {
    return { id: WORKSPACE.teamId, domain: WORKSPACE.teamDomain };
  }

  private userRef(u: WorkspaceUser) {
    return { id: u.id, username: u.name, name: u.name, team_id: WORKSPACE.teamId };
  }

  private mintResponseUrl(target: Omit<ResponseTarget, "expiresAt" | "uses">): string {
    const id = randomBytes(12).toString("hex");
    this.responseTargets.set(id, {
      ...target,
      expiresAt: this.o.wallClock.now().getTime() + RESPONSE_URL_TTL_MS,
      uses: 0,
    });
    return `${this.o.respondBase()}${id}`;
  }

  /** POSTs a payload to the app signed as Slack signs (v0, HMAC-SHA256 over `v0:<ts>:<body>`). */
  async deliver(body: string, contentType: string): Promise<{ status: number; text: string }> {
    const timestamp = String(Math.floor(this.o.wallClock.now().getTime() / 1000));
    const signature = createHmac("sha256", this.o.signingSecret)
      .update(`v0:${timestamp}:${body}`)
      .digest("hex");
    const res = await fetch(this.o.appUrl(), {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": `v0=${signature}`,
      },
      body,
      // Slack gives the app 3 seconds; the playground is more patient on a busy laptop.
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, text: await res.text() };
  }

  private async deliverInteractive(payload: Json) {
    return this.deliver(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      "application/x-www-form-urlencoded",
    );
  }

  private async deliverEvent(event: Json) {
    const payload = {
      token: WORKSPACE.verificationToken,
      team_id: WORKSPACE.teamId,
      api_app_id: WORKSPACE.appId,
      event,
      type: "event_callback",
      event_id: `Ev0${randomBytes(6).toString("hex").toUpperCase()}`,
      event_time: Math.floor(this.o.wallClock.now().getTime() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: WORKSPACE.teamId,
          user_id: WORKSPACE.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(JSON.stringify({ et: event.type, tid: WORKSPACE.teamId })).toString("base64url")}`,
    };
    return this.deliver(JSON.stringify(payload), "application/json");
  }

  private failed(userId: string, channel: string, what: string, status: number) {
    this.slack.addMessage({
      channel,
      ts: this.slack.nextTs(),
      user: "USLACKBOT",
      text: `${what} failed with the error "dispatch_failed" (the app answered HTTP ${status}).`,
      ephemeralTo: userId,
    });
  }

  /** The composer: a slash command, or a message (an @Turf mention in a channel, a thread reply in a DM). */
  async send(userId: string, channel: string, text: string, threadTs?: string): Promise<void> {
    const u = this.user(userId);
    if (!this.slack.knownChannel(channel)) throw new PlaygroundInputError(`There is no channel ${channel}.`);
    const trimmed = text.trim();
    if (trimmed === "") return;
    const command = /^(\/[\w-]+)(?:\s+([\s\S]*))?$/.exec(trimmed);
    if (command && !threadTs) {
      await this.command(u, channel, command[1] as string, command[2] ?? "");
      return;
    }
    const message = this.slack.addMessage({
      channel,
      ts: this.slack.nextTs(),
      user: u.id,
      text: trimmed,
      ...(threadTs ? { threadTs } : {}),
    });
    const base = {
      client_msg_id: randomBytes(16)
        .toString("hex")
        .replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, "$1-$2-$3-$4-$5"),
      user: u.id,
      text: message.text,
      ts: message.ts,
      team: WORKSPACE.teamId,
      channel,
      event_ts: message.ts,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    };
    if (channel.startsWith("D")) {
      const parent = threadTs ? this.slack.findMessage(channel, threadTs) : undefined;
      await this.deliverEvent({
        type: "message",
        ...base,
        channel_type: "im",
        ...(parent ? { parent_user_id: parent.user } : {}),
      });
    } else if (trimmed.includes(`<@${WORKSPACE.botUserId}>`)) {
      await this.deliverEvent({ type: "app_mention", ...base });
    }
  }

  private async command(u: WorkspaceUser, channel: string, name: string, text: string): Promise<void> {
    if (!(COMMANDS as readonly string[]).includes(name)) {
      this.slack.addMessage({
        channel,
        ts: this.slack.nextTs(),
        user: "USLACKBOT",
        text: `\`${name}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
        ephemeralTo: u.id,
      });
      return;
    }
    const fields = {
      token: WORKSPACE.verificationToken,
      team_id: WORKSPACE.teamId,
      team_domain: WORKSPACE.teamDomain,
      channel_id: channel,
      channel_name: this.channelName(channel),
      user_id: u.id,
      user_name: u.name,
      command: name,
      text,
      api_app_id: WORKSPACE.appId,
      is_enterprise_install: "false",
      response_url: this.mintResponseUrl({ userId: u.id, channel }),
      trigger_id: this.slack.issueTrigger(u.id),
    };
    const res = await this.deliver(
      new URLSearchParams(fields).toString(),
      "application/x-www-form-urlencoded",
    );
    if (res.status !== 200) return this.failed(u.id, channel, name, res.status);
    // An ack may carry the reply itself (an immediate ephemeral answer).
    const body = parseJson(res.text);
    if (body && (body.text || body.blocks)) this.reply({ userId: u.id, channel }, body);
  }

  /** "⋯ → Who owns this?" on a message. */
  async shortcut(userId: string, channel: string, ts: string, callbackId: string): Promise<void> {
    const u = this.user(userId);
    const m = this.slack.findMessage(channel, ts);
    if (!m || m.ephemeralTo) throw new PlaygroundInputError("That message is gone.");
    const { username: _u, ...user } = this.userRef(u);
    const res = await this.deliverInteractive({
      type: "message_action",
      token: WORKSPACE.verificationToken,
      action_ts: this.slack.nextTs(),
      team: this.team(),
      user,
      channel: { id: channel, name: this.channelName(channel) },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: this.slack.issueTrigger(u.id),
      response_url: this.mintResponseUrl({ userId: u.id, channel }),
      message_ts: m.ts,
      message: messageObject(m),
    });
    if (res.status !== 200) this.failed(u.id, channel, "The shortcut", res.status);
  }

  /** A click on a button (or a choice in a select) on a message, a modal or the Home tab. */
  async action(input: ActionInput): Promise<void> {
    const u = this.user(input.userId);
    const action: Json = {
      ...input.element,
      action_id: input.actionId,
      block_id: input.blockId,
      action_ts: this.slack.nextTs(),
    };
    const payload: Json = {
      type: "block_actions",
      user: this.userRef(u),
      api_app_id: WORKSPACE.appId,
      token: WORKSPACE.verificationToken,
      trigger_id: this.slack.issueTrigger(u.id),
      team: this.team(),
      enterprise: null,
      is_enterprise_install: false,
      actions: [action],
    };
    if (input.viewId) {
      const view = this.slack.views.get(input.viewId);
      if (!view || view.userId !== u.id) throw new PlaygroundInputError("That view is closed.");
      payload.container = { type: "view", view_id: view.id };
      payload.view = this.slack.viewPayload(view, input.state ?? {});
    } else if (input.channel && input.ts) {
      const m = this.slack.findMessage(input.channel, input.ts);
      if (!m) throw new PlaygroundInputError("That message is gone.");
      const ephemeral = m.ephemeralTo !== undefined;
      payload.container = {
        type: "message",
        message_ts: m.ts,
        channel_id: m.channel,
        is_ephemeral: ephemeral,
        ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      };
      payload.channel = { id: m.channel, name: this.channelName(m.channel) };
      // Slack does not store ephemeral messages, so their clicks carry no message body.
      if (!ephemeral) payload.message = messageObject(m);
      payload.state = { values: input.state ?? {} };
      payload.response_url = this.mintResponseUrl({ userId: u.id, channel: m.channel, sourceTs: m.ts });
    } else {
      throw new PlaygroundInputError("A click needs the message or the view it was on.");
    }
    const res = await this.deliverInteractive(payload);
    if (res.status !== 200 && input.channel) this.failed(u.id, input.channel, "That button", res.status);
  }

  /** A modal's Submit: the app's ack decides what happens to the stack. */
  async submit(userId: string, viewId: string, state: StateValues): Promise<{ error?: string }> {
    const u = this.user(userId);
    const view = this.slack.topModal(u.id);
    if (!view || view.id !== viewId) throw new PlaygroundInputError("That modal is no longer open.");
    const res = await this.deliverInteractive({
      type: "view_submission",
      team: this.team(),
      user: this.userRef(u),
      api_app_id: WORKSPACE.appId,
      token: WORKSPACE.verificationToken,
      trigger_id: this.slack.issueTrigger(u.id),
      view: this.slack.viewPayload(view, state),
      response_urls: [],
      enterprise: null,
      is_enterprise_install: false,
    });
    if (res.status !== 200) return { error: "We had some trouble connecting. Try again?" };
    return this.applyViewResponse(u.id, view, res.text);
  }

  private applyViewResponse(userId: string, view: StoredView, text: string): { error?: string } {
    if (text.trim() === "") {
      this.slack.popModal(userId);
      return {};
    }
    const body = parseJson(text);
    const action = body?.response_action;
    if (action === "errors" && body && typeof body.errors === "object" && body.errors !== null) {
      const inputBlocks = new Set(
        ((view.view.blocks as Json[] | undefined) ?? [])
          .filter((b) => b.type === "input")
          .map((b) => String(b.block_id ?? "")),
      );
      const errors = body.errors as Record<string, string>;
      // Slack refuses errors for block ids that are not input blocks in the view.
      if (Object.keys(errors).some((id) => !inputBlocks.has(id)))
        return { error: "We had some trouble connecting. Try again?" };
      view.errors = errors;
      this.slack.changed();
      return {};
    }
    if (action === "clear") {
      this.slack.clearModals(userId);
      return {};
    }
    if ((action === "update" || action === "push") && body) {
      if (viewProblems(body.view).length > 0) return { error: "We had some trouble connecting. Try again?" };
      if (action === "update") this.slack.replaceView(view, body.view as Json);
      else if (this.slack.pushView(userId, body.view as Json) === "push_limit_reached")
        return { error: "We had some trouble connecting. Try again?" };
      return {};
    }
    return { error: "We had some trouble connecting. Try again?" };
  }

  /** Cancel / ✕ on the top modal; the app hears of it only when the view asked (notify_on_close). */
  async close(userId: string, viewId: string): Promise<void> {
    const u = this.user(userId);
    const view = this.slack.topModal(u.id);
    if (!view || view.id !== viewId) return;
    this.slack.popModal(u.id);
    if (view.view.notify_on_close === true) {
      await this.deliverInteractive({
        type: "view_closed",
        team: this.team(),
        user: this.userRef(u),
        api_app_id: WORKSPACE.appId,
        token: WORKSPACE.verificationToken,
        view: this.slack.viewPayload(view),
        is_cleared: false,
        enterprise: null,
        is_enterprise_install: false,
      });
    }
  }

  /** Opening the app's Home tab. */
  async openHome(userId: string): Promise<void> {
    const u = this.user(userId);
    await this.deliverEvent({
      type: "app_home_opened",
      user: u.id,
      channel: dmChannelOf(u.id),
      tab: "home",
      event_ts: this.slack.nextTs(),
    });
  }

  /** A POST to a response_url the playground minted. */
  respond(id: string, body: Json): { status: number; answer: Json } {
    const target = this.responseTargets.get(id);
    if (!target || this.o.wallClock.now().getTime() > target.expiresAt || target.uses >= RESPONSE_URL_USES)
      return { status: 404, answer: { ok: false, error: "expired_url" } };
    target.uses++;
    this.reply(target, body);
    return { status: 200, answer: { ok: true } };
  }

  private reply(target: Omit<ResponseTarget, "expiresAt" | "uses">, body: Json): void {
    const source = target.sourceTs ? this.slack.findMessage(target.channel, target.sourceTs) : undefined;
    if (body.delete_original === true || body.delete_original === "true") {
      if (source) this.slack.removeMessage(source);
      return;
    }
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const text = typeof body.text === "string" ? body.text : "";
    if ((body.replace_original === true || body.replace_original === "true") && source) {
      source.text = text;
      if (blocks) source.blocks = blocks;
      else delete source.blocks;
      this.slack.changed();
      return;
    }
    const inChannel = body.response_type === "in_channel";
    const message: StoredMessage = {
      channel: target.channel,
      ts: this.slack.nextTs(),
      user: WORKSPACE.botUserId,
      text,
      viaResponseUrl: true,
      ...(blocks ? { blocks } : {}),
      ...(inChannel ? {} : { ephemeralTo: target.userId }),
      ...(source?.threadTs ? { threadTs: source.threadTs } : {}),
    };
    this.slack.addMessage(message);
  }
}

/** A request from the page that cannot be carried out (unknown person, closed modal…). */
export class PlaygroundInputError extends Error {}

function parseJson(text: string): Json | null {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Json) : null;
  } catch {
    return null;
  }
}

function messageObject(m: StoredMessage): Json {
  return {
    type: "message",
    user: m.user,
    ts: m.ts,
    text: m.text,
    team: WORKSPACE.teamId,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  };
}
