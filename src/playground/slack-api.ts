// A local implementation of the part of Slack's Web API Turf uses, holding the playground's state:
// messages (in channels, DMs and threads; ephemeral ones only for their reader), the modal stack and
// App Home of each person, and trigger ids. It validates arguments as Slack does (token, required
// arguments, Block Kit, trigger id lifetime, view hash) and answers with Slack's response shapes.
import { randomBytes } from "node:crypto";
import type { Clock } from "../config/clock.ts";
import { blocksProblems, viewProblems } from "./block-kit.ts";
import { CHANNELS, dmChannelOf, WORKSPACE, type WorkspaceUser } from "./workspace.ts";

type Json = Record<string, unknown>;

export type StoredMessage = {
  channel: string;
  ts: string;
  user: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  /** Set for ephemeral messages: the only person who sees it. Never stored by real Slack. */
  ephemeralTo?: string;
  edited?: boolean;
  /** A slash-command or message-action reply; it can be replaced or deleted through its response_url. */
  viaResponseUrl?: boolean;
};

export type StoredView = {
  id: string;
  userId: string;
  type: "modal" | "home";
  view: Json;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  /** Validation errors from `response_action: errors`, by block id. */
  errors: Record<string, string>;
};

export type Trigger = { userId: string; issuedAt: number; used: boolean };

// Slack documents these arguments as required (web-api method reference) and the "one of" rules in prose.
const REQUIRED: Record<string, string[]> = {
  "auth.test": [],
  "chat.postMessage": ["channel"],
  "chat.postEphemeral": ["user", "channel"],
  "chat.update": ["ts", "channel"],
  "chat.delete": ["ts", "channel"],
  "conversations.open": [],
  "users.info": ["user"],
  "users.lookupByEmail": ["email"],
  "views.open": ["view"],
  "views.push": ["view"],
  "views.update": ["view"],
  "views.publish": ["user_id", "view"],
};
const ONE_OF: Record<string, string[]> = {
  "chat.postMessage": ["text", "blocks", "attachments", "markdown_text"],
  "chat.postEphemeral": ["text", "blocks", "attachments", "markdown_text"],
  "chat.update": ["text", "blocks", "attachments", "markdown_text", "file_ids"],
  "conversations.open": ["channel", "users"],
  "views.open": ["trigger_id", "interactivity_pointer"],
  "views.push": ["trigger_id", "interactivity_pointer"],
  "views.update": ["view_id", "external_id"],
};
/** Form fields Slack reads as JSON. */
const JSON_ARGUMENTS = new Set(["blocks", "attachments", "view", "metadata", "unfurls", "user_auth_blocks"]);

/** Slack's trigger ids work once, for 3 seconds. */
export const TRIGGER_TTL_MS = 3_000;
const PUSH_LIMIT = 3;

const present = (v: unknown) => v !== undefined && v !== null && v !== "";

export type ApiAnswer =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: string; [key: string]: unknown };

export type SlackApiOptions = {
  token: string;
  users: WorkspaceUser[];
  /** The playground's movable clock: message timestamps follow it, so moved time shows in the channel. */
  clock: Clock;
  /** Real time, for trigger id expiry (Slack's clock, not the playground's movable one). */
  wallClock: Clock;
  triggerTtlMs?: number;
};

export class PlaygroundSlack {
  readonly messages: StoredMessage[] = [];
  readonly views = new Map<string, StoredView>();
  /** Each person's open modals, bottom first. */
  readonly modalStacks = new Map<string, string[]>();
  readonly homes = new Map<string, string>();
  readonly triggers = new Map<string, Trigger>();
  readonly calls: { method: string; outcome: string }[] = [];
  private counter = 0;
  private lastTs = 0;
  private listeners = new Set<() => void>();
  readonly users: Map<string, WorkspaceUser>;

  constructor(private readonly options: SlackApiOptions) {
    this.users = new Map(options.users.map((u) => [u.id, u]));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** A message id: Unix seconds with a unique micro part, strictly increasing. */
  nextTs(): string {
    const micros = Math.max(this.options.clock.now().getTime() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  private nextId(prefix: string): string {
    return `${prefix}0${(++this.counter).toString(36).toUpperCase().padStart(8, "P")}`;
  }

  issueTrigger(userId: string): string {
    const id = `${Math.floor(this.options.wallClock.now().getTime() / 1000)}.${Date.UTC(2026, 0, 1) % 1e12}.${randomBytes(16).toString("hex")}`;
    this.triggers.set(id, { userId, issuedAt: this.options.wallClock.now().getTime(), used: false });
    return id;
  }

  knownChannel(id: string): boolean {
    if (CHANNELS.some((c) => c.id === id)) return true;
    return id.startsWith("D") && [...this.users.keys()].some((u) => dmChannelOf(u) === id);
  }

  addMessage(m: StoredMessage): StoredMessage {
    this.messages.push(m);
    this.changed();
    return m;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  removeMessage(m: StoredMessage): void {
    const i = this.messages.indexOf(m);
    if (i >= 0) this.messages.splice(i, 1);
    this.changed();
  }

  topModal(userId: string): StoredView | undefined {
    const stack = this.modalStacks.get(userId) ?? [];
    const id = stack.at(-1);
    return id ? this.views.get(id) : undefined;
  }

  /** The page closed the top modal (Cancel / ✕) or a submission was acknowledged without a response. */
  popModal(userId: string): StoredView | undefined {
    const stack = this.modalStacks.get(userId) ?? [];
    const id = stack.pop();
    this.changed();
    return id ? this.views.get(id) : undefined;
  }

  clearModals(userId: string): void {
    this.modalStacks.set(userId, []);
    this.changed();
  }

  private storeView(userId: string, view: Json, id: string, previous: StoredView | null): StoredView {
    const stored: StoredView = {
      id,
      userId,
      type: view.type === "home" ? "home" : "modal",
      view,
      hash: `${Math.floor(this.options.wallClock.now().getTime() / 1000)}.${randomBytes(4).toString("hex")}`,
      rootViewId: previous?.rootViewId ?? id,
      previousViewId: previous?.previousViewId ?? null,
      errors: {},
    };
    this.views.set(id, stored);
    return stored;
  }

  /** Replaces a view's content in place (views.update, response_action update); same id, new hash. */
  replaceView(existing: StoredView, view: Json): StoredView {
    const updated = this.storeView(existing.userId, view, existing.id, existing);
    updated.rootViewId = existing.rootViewId;
    updated.previousViewId = existing.previousViewId;
    this.changed();
    return updated;
  }

  /** Pushes a view onto a person's modal stack (views.push, response_action push). */
  pushView(userId: string, view: Json): StoredView | "push_limit_reached" {
    const stack = this.modalStacks.get(userId) ?? [];
    if (stack.length >= PUSH_LIMIT) return "push_limit_reached";
    const top = this.topModal(userId) ?? null;
    const stored = this.storeView(userId, view, this.nextId("V"), top);
    if (top) stored.previousViewId = top.id;
    stack.push(stored.id);
    this.modalStacks.set(userId, stack);
    this.changed();
    return stored;
  }

  viewPayload(v: StoredView, stateValues: Json = {}): Json {
    const view = v.view;
    return {
      id: v.id,
      team_id: WORKSPACE.teamId,
      type: v.type,
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? "",
      callback_id: view.callback_id ?? "",
      state: { values: stateValues },
      hash: v.hash,
      title: view.title,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: v.previousViewId,
      root_view_id: v.rootViewId,
      app_id: WORKSPACE.appId,
      external_id: view.external_id ?? "",
      app_installed_team_id: WORKSPACE.teamId,
      bot_id: WORKSPACE.botId,
    };
  }

  private userObject(u: WorkspaceUser): Json {
    return {
      id: u.id,
      team_id: WORKSPACE.teamId,
      name: u.name,
      deleted: false,
      real_name: u.realName,
      tz: u.tz,
      tz_label: u.tz,
      tz_offset: tzOffsetSeconds(u.tz, this.options.wallClock.now()),
      profile: {
        real_name: u.realName,
        real_name_normalized: u.realName,
        display_name: u.realName,
        display_name_normalized: u.realName,
        email: u.email,
        team: WORKSPACE.teamId,
      },
      is_admin: false,
      is_owner: false,
      is_bot: u.isBot,
      is_app_user: false,
      updated: 1767225600,
    };
  }

  private messageObject(m: StoredMessage): Json {
    return {
      type: "message",
      user: m.user,
      text: m.text,
      ts: m.ts,
      team: WORKSPACE.teamId,
      ...(m.user === WORKSPACE.botUserId ? { bot_id: WORKSPACE.botId, app_id: WORKSPACE.appId } : {}),
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    };
  }

  /** Decodes, checks and answers one Web API call. */
  call(method: string, args: Json, token: string | undefined): ApiAnswer {
    const answer = this.answer(method, args, token);
    this.calls.push({ method, outcome: answer.ok ? "ok" : answer.error });
    return answer;
  }

  private answer(method: string, args: Json, token: string | undefined): ApiAnswer {
    const required = REQUIRED[method];
    if (!required) return { ok: false, error: "unknown_method" };
    if (token === undefined) return { ok: false, error: "not_authed" };
    if (token !== this.options.token) return { ok: false, error: "invalid_auth" };
    const missing = required.filter((name) => !present(args[name]));
    if (missing.length > 0)
      return {
        ok: false,
        error: "invalid_arguments",
        response_metadata: { messages: missing.map((m) => `[ERROR] missing required field: ${m}`) },
      };
    const oneOf = ONE_OF[method];
    if (oneOf && !oneOf.some((name) => present(args[name]))) {
      if (method.startsWith("chat.")) return { ok: false, error: "no_text" };
      return {
        ok: false,
        error: "invalid_arguments",
        response_metadata: { messages: [`[ERROR] one of ${oneOf.join(", ")} is required`] },
      };
    }
    for (const name of JSON_ARGUMENTS) {
      if (typeof args[name] === "string")
        return { ok: false, error: name === "blocks" ? "invalid_blocks_format" : "invalid_arguments" };
    }
    if (args.blocks !== undefined) {
      const problems = blocksProblems(args.blocks, "message");
      if (problems.length > 0)
        return {
          ok: false,
          error: "invalid_blocks",
          errors: problems,
          response_metadata: { messages: problems },
        };
    }
    if (typeof args.text === "string" && args.text.length > 40_000)
      return { ok: false, error: "msg_too_long" };
    if (args.view !== undefined) {
      const problems = viewProblems(args.view);
      if (problems.length > 0)
        return { ok: false, error: "invalid_arguments", response_metadata: { messages: problems } };
    }
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: `https://${WORKSPACE.teamDomain}.slack.com/`,
          team: WORKSPACE.teamDomain,
          user: "turf",
          team_id: WORKSPACE.teamId,
          user_id: WORKSPACE.botUserId,
          bot_id: WORKSPACE.botId,
          app_id: WORKSPACE.appId,
          is_enterprise_install: false,
        };
      case "chat.postMessage": {
        const channel = this.resolveChannel(String(args.channel));
        if (!channel) return { ok: false, error: "channel_not_found" };
        const threadTs = present(args.thread_ts) ? String(args.thread_ts) : undefined;
        if (threadTs && !this.findMessage(channel, threadTs)) return { ok: false, error: "thread_not_found" };
        const m = this.addMessage({
          channel,
          ts: this.nextTs(),
          user: WORKSPACE.botUserId,
          text: String(args.text ?? ""),
          ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
          ...(threadTs ? { threadTs } : {}),
        });
        return { ok: true, channel, ts: m.ts, message: this.messageObject(m) };
      }
      case "chat.postEphemeral": {
        const channel = this.resolveChannel(String(args.channel));
        if (!channel) return { ok: false, error: "channel_not_found" };
        if (!this.users.has(String(args.user))) return { ok: false, error: "user_not_in_channel" };
        const m = this.addMessage({
          channel,
          ts: this.nextTs(),
          user: WORKSPACE.botUserId,
          text: String(args.text ?? ""),
          ephemeralTo: String(args.user),
          ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
          ...(present(args.thread_ts) ? { threadTs: String(args.thread_ts) } : {}),
        });
        return { ok: true, message_ts: m.ts };
      }
      case "chat.update": {
        const m = this.findMessage(String(args.channel), String(args.ts));
        if (!m || m.ephemeralTo) return { ok: false, error: "message_not_found" };
        if (m.user !== WORKSPACE.botUserId) return { ok: false, error: "cant_update_message" };
        m.text = String(args.text ?? "");
        if (Array.isArray(args.blocks)) m.blocks = args.blocks;
        m.edited = true;
        this.changed();
        const { ts: _ts, ...message } = this.messageObject(m);
        return { ok: true, channel: m.channel, ts: m.ts, text: m.text, message };
      }
      case "chat.delete": {
        const m = this.findMessage(String(args.channel), String(args.ts));
        if (!m || m.ephemeralTo) return { ok: false, error: "message_not_found" };
        if (m.user !== WORKSPACE.botUserId) return { ok: false, error: "cant_delete_message" };
        this.removeMessage(m);
        return { ok: true, channel: m.channel, ts: m.ts };
      }
      case "conversations.open": {
        if (present(args.channel)) {
          const channel = this.resolveChannel(String(args.channel));
          return channel
            ? { ok: true, no_op: true, already_open: true, channel: { id: channel } }
            : { ok: false, error: "channel_not_found" };
        }
        const users = String(args.users)
          .split(",")
          .map((u) => u.trim())
          .filter(Boolean);
        if (users.length > 1) return { ok: false, error: "method_not_supported_for_channel_type" };
        const user = users[0] as string;
        if (!this.users.has(user)) return { ok: false, error: "user_not_found" };
        const id = dmChannelOf(user);
        return {
          ok: true,
          no_op: true,
          already_open: true,
          channel:
            args.return_im === true || args.return_im === "true"
              ? { id, created: 1767225600, is_im: true, is_org_shared: false, user, is_open: true }
              : { id },
        };
      }
      case "users.info": {
        const user = this.users.get(String(args.user));
        return user ? { ok: true, user: this.userObject(user) } : { ok: false, error: "user_not_found" };
      }
      case "users.lookupByEmail": {
        const email = String(args.email).toLowerCase();
        const user = [...this.users.values()].find((u) => u.email.toLowerCase() === email);
        return user ? { ok: true, user: this.userObject(user) } : { ok: false, error: "users_not_found" };
      }
      case "views.open":
      case "views.push": {
        const trigger = this.useTrigger(String(args.trigger_id ?? args.interactivity_pointer));
        if (typeof trigger === "string") return { ok: false, error: trigger };
        const view = args.view as Json;
        if (view.type !== "modal")
          return { ok: false, error: "invalid_arguments", response_metadata: { messages: ["modal only"] } };
        if (method === "views.open") this.modalStacks.set(trigger.userId, []);
        else if ((this.modalStacks.get(trigger.userId) ?? []).length === 0)
          return { ok: false, error: "not_found" };
        const stored = this.pushView(trigger.userId, view);
        if (stored === "push_limit_reached") return { ok: false, error: stored };
        return { ok: true, view: this.viewPayload(stored) };
      }
      case "views.update": {
        const existing = present(args.view_id)
          ? this.views.get(String(args.view_id))
          : [...this.views.values()].find((v) => v.view.external_id === args.external_id);
        if (!existing) return { ok: false, error: "not_found" };
        if (present(args.hash) && args.hash !== existing.hash) return { ok: false, error: "hash_conflict" };
        const view = args.view as Json;
        if (view.type !== existing.type)
          return {
            ok: false,
            error: "invalid_arguments",
            response_metadata: { messages: ["view type changed"] },
          };
        const updated = this.replaceView(existing, view);
        return { ok: true, view: this.viewPayload(updated) };
      }
      case "views.publish": {
        const userId = String(args.user_id);
        if (!this.users.has(userId)) return { ok: false, error: "user_not_found" };
        const view = args.view as Json;
        if (view.type !== "home")
          return { ok: false, error: "invalid_arguments", response_metadata: { messages: ["home only"] } };
        const existing = this.views.get(this.homes.get(userId) ?? "");
        if (existing && present(args.hash) && args.hash !== existing.hash)
          return { ok: false, error: "hash_conflict" };
        const stored = existing
          ? this.replaceView(existing, view)
          : this.storeView(userId, view, this.nextId("V"), null);
        this.homes.set(userId, stored.id);
        this.changed();
        return { ok: true, view: this.viewPayload(stored) };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  /** A channel id, or a user id (Slack posts to the app's DM with that person). */
  private resolveChannel(channel: string): string | null {
    if (this.knownChannel(channel)) return channel;
    if (this.users.has(channel)) return dmChannelOf(channel);
    return null;
  }

  private useTrigger(id: string): Trigger | string {
    const trigger = this.triggers.get(id);
    if (!trigger) return "invalid_trigger_id";
    if (trigger.used) return "exchanged_trigger_id";
    const ttl = this.options.triggerTtlMs ?? TRIGGER_TTL_MS;
    if (this.options.wallClock.now().getTime() - trigger.issuedAt > ttl) return "expired_trigger_id";
    trigger.used = true;
    return trigger;
  }
}

/** Decodes a Web API request body as Slack does: form fields (JSON-valued ones parsed) or a JSON body. */
export function decodeArgs(raw: string, contentType: string, query: URLSearchParams): Json | null {
  if (contentType.startsWith("application/json")) {
    try {
      return JSON.parse(raw || "{}") as Json;
    } catch {
      return null;
    }
  }
  const args: Json = Object.fromEntries(query);
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_ARGUMENTS.has(key)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        // Slack answers invalid_*_format; the raw string is kept so the check above can say so.
      }
    }
    args[key] = value;
  }
  return args;
}

function tzOffsetSeconds(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 1000);
}
