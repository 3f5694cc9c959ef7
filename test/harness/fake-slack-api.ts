import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeArgs } from "../../src/playground/slack-api.ts";
import { loadMethodReference, type MethodReference } from "./slack-shapes.ts";

// A stand-in for slack.com/api on loopback. The app under test talks to it through its real
// WebClient (SLACK_API_URL / clientOptions.slackApiUrl); it answers with Slack's response shapes,
// records every call, and holds calls to Slack's method reference (HTTP method, required
// arguments) so a test fails when the app makes a call real Slack would reject.

export type FakeSlackUser = {
  tz?: string;
  tzLabel?: string;
  /** Seconds east of UTC. */
  tzOffset?: number;
  email?: string;
  real_name?: string;
  name?: string;
  isBot?: boolean;
  deleted?: boolean;
};

export type FakeSlackApiOptions = {
  port?: number;
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  users?: Record<string, FakeSlackUser>;
  /** How long waitForCall/waitForResponse wait before rejecting. */
  waitTimeoutMs?: number;
};

export type RecordedCall = {
  method: string;
  /** Decoded arguments (JSON-valued form fields such as `blocks` and `view` are parsed). */
  args: Record<string, unknown>;
  at: Date;
  httpMethod: string;
  contentType: string;
  /** The token, from the Authorization header or the `token` argument. */
  token: string | undefined;
  /** What the fake answered: "ok", a Slack error code, or "rate_limited". */
  outcome: string;
};

export type Violation = { method: string; reason: string; args: Record<string, unknown> };

export type RecordedResponse = { url: string; id: string; body: Record<string, unknown>; at: Date };

export type Failure =
  | { status: 429; retryAfter: number }
  | { error: string }
  /** An HTTP 5xx from Slack's edge. */
  | { status: 500 | 502 | 503 }
  /** No answer at all; with `accept`, Slack acts on the call first (the message exists) and then the answer is lost. */
  | { hang: true; accept?: boolean };

export type FakeSlackApi = {
  /** Base URL ending in `/api/`, for WebClient's slackApiUrl. */
  url: string;
  /** Origin (`http://127.0.0.1:<port>`) for building other URLs. */
  origin: string;
  calls: RecordedCall[];
  violations: Violation[];
  /** Posts made to response_url links minted by `responseUrl()`. */
  responses: RecordedResponse[];
  users: Record<string, FakeSlackUser>;
  callsTo(method: string): RecordedCall[];
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean): Promise<RecordedCall>;
  waitForResponse(predicate?: (response: RecordedResponse) => boolean): Promise<RecordedResponse>;
  /** Makes the next call to `method` fail as given (queued: several calls queue several failures). */
  failNext(method: string, failure: Failure): void;
  /** A loopback response_url for a payload builder; replies posted to it land in `responses`. */
  responseUrl(id?: string): string;
  /** Mint message timestamps from this clock (the app's injected clock), as Slack mints them from its own. */
  useClock(clock: { now(): Date }): void;
  stop(): Promise<void>;
};

// Slack's docs state these "at least one of" rules in prose, not in the required lists.
const ONE_OF_REQUIRED: Record<string, string[][]> = {
  "chat.postMessage": [["text", "blocks", "attachments", "markdown_text"]],
  "chat.postEphemeral": [["text", "blocks", "attachments", "markdown_text"]],
  "chat.update": [["text", "blocks", "attachments", "markdown_text", "file_ids"]],
  "conversations.open": [["channel", "users"]],
  "views.open": [["trigger_id", "interactivity_pointer"]],
  "views.push": [["trigger_id", "interactivity_pointer"]],
  "views.update": [["view_id", "external_id"]],
};

// Arguments Slack takes as JSON-encoded strings in a form body (Bolt's WebClient stringifies them).
// Errors Slack can return from any method, on top of each method's documented list.
const COMMON_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "invalid_arguments",
  "internal_error",
  "fatal_error",
  "ratelimited",
  "request_timeout",
  "service_unavailable",
  "account_inactive",
  "token_revoked",
  "missing_scope",
]);

const SUPPORTED_METHODS = [
  "auth.test",
  "chat.postMessage",
  "chat.postEphemeral",
  "chat.update",
  "conversations.history",
  "conversations.open",
  "users.info",
  "users.lookupByEmail",
  "views.open",
  "views.publish",
  "views.push",
  "views.update",
] as const;
type SupportedMethod = (typeof SUPPORTED_METHODS)[number];

const isSupported = (method: string): method is SupportedMethod =>
  (SUPPORTED_METHODS as readonly string[]).includes(method);

// Methods the published reference in test/fixtures/slack lacks; the minimum Slack documents for them.
const LOCAL_REFERENCES: Record<string, MethodReference> = {
  "conversations.history": {
    desc: "Fetches a conversation's history of messages and events.",
    http_method: "GET",
    args: { required: ["token", "channel"] },
    errors: { channel_not_found: {}, not_in_channel: {}, missing_scope: {} },
  },
};
const methodReference = (method: string) => loadMethodReference(method) ?? LOCAL_REFERENCES[method];

type Answer = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

const present = (v: unknown) => v !== undefined && v !== null && v !== "";

export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const teamId = options.teamId ?? "T0TURF0001";
  const teamDomain = options.teamDomain ?? "acme-sales";
  const botUserId = options.botUserId ?? "U0TURFBOT1";
  const botId = options.botId ?? "B0TURFBOT1";
  const appId = options.appId ?? "A0TURF0001";
  const waitTimeoutMs = options.waitTimeoutMs ?? 5_000;
  const users: Record<string, FakeSlackUser> = { ...(options.users ?? {}) };

  const calls: RecordedCall[] = [];
  const violations: Violation[] = [];
  const responses: RecordedResponse[] = [];
  const failures = new Map<string, Failure[]>();
  const callListeners = new Set<(call: RecordedCall) => void>();
  const responseListeners = new Set<(r: RecordedResponse) => void>();
  const dmChannels = new Map<string, string>();
  /** What was posted where (newest last), for conversations.history; metadata kept as sent. */
  const history = new Map<string, Record<string, unknown>[]>();
  let counter = 0;
  let clock: { now(): Date } | null = null;
  // Message ts are times, as in Slack; with useClock they follow the test's clock (history windows).
  const nextTs = () =>
    clock
      ? `${Math.floor(clock.now().getTime() / 1000)}.${String(++counter % 1000000).padStart(6, "0")}`
      : `${1767225600 + Math.floor(++counter / 1000)}.${String(counter % 1000000).padStart(6, "0")}`;
  const nextId = (prefix: string) => `${prefix}0${(++counter).toString(36).toUpperCase().padStart(8, "F")}`;

  const userObject = (id: string, u: FakeSlackUser) => ({
    id,
    team_id: teamId,
    name: u.name ?? u.email?.split("@")[0] ?? id.toLowerCase(),
    deleted: u.deleted ?? false,
    real_name: u.real_name ?? "",
    tz: u.tz ?? "America/Los_Angeles",
    tz_label: u.tzLabel ?? "Pacific Standard Time",
    tz_offset: u.tzOffset ?? -28800,
    profile: {
      real_name: u.real_name ?? "",
      real_name_normalized: u.real_name ?? "",
      display_name: u.name ?? "",
      display_name_normalized: u.name ?? "",
      email: u.email,
      team: teamId,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.isBot ?? false,
    is_app_user: false,
    updated: 1767225600,
  });

  const viewAnswer = (args: Record<string, unknown>, id: string) => {
    const view = (typeof args.view === "object" && args.view !== null ? args.view : {}) as Record<
      string,
      unknown
    >;
    return {
      ok: true as const,
      view: {
        id,
        team_id: teamId,
        type: view.type ?? "modal",
        title: view.title,
        submit: view.submit,
        close: view.close,
        blocks: view.blocks ?? [],
        private_metadata: view.private_metadata ?? "",
        callback_id: view.callback_id ?? "",
        external_id: view.external_id ?? "",
        state: { values: {} },
        hash: `${1767225600 + counter}.${id.slice(-8).toLowerCase()}`,
        clear_on_close: view.clear_on_close ?? false,
        notify_on_close: view.notify_on_close ?? false,
        root_view_id: id,
        previous_view_id: null,
        app_id: appId,
        app_installed_team_id: teamId,
        bot_id: botId,
      },
    };
  };

  const messageAnswer = (args: Record<string, unknown>, ts: string) => ({
    bot_id: botId,
    type: "message",
    text: typeof args.text === "string" ? args.text : "",
    user: botUserId,
    ts,
    team: teamId,
    app_id: appId,
    ...(args.blocks ? { blocks: args.blocks } : {}),
  });

  // Answers shaped like payload-shapes/api/<method>.json, with the fields a real answer carries.
  const answer = (method: SupportedMethod, args: Record<string, unknown>): Answer => {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: `https://${teamDomain}.slack.com/`,
          team: teamDomain,
          user: "turf",
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
          app_id: appId,
          is_enterprise_install: false,
        };
      case "chat.postMessage": {
        const ts = nextTs();
        const message = messageAnswer(args, ts);
        const posted = history.get(String(args.channel)) ?? [];
        posted.push({ ...message, ...(args.metadata ? { metadata: args.metadata } : {}) });
        history.set(String(args.channel), posted);
        return {
          ok: true,
          channel: String(args.channel),
          ts,
          message: args.thread_ts ? { ...message, thread_ts: args.thread_ts } : message,
        };
      }
      case "chat.postEphemeral":
        return { ok: true, message_ts: nextTs() };
      case "chat.update": {
        const { ts: _ts, ...message } = messageAnswer(args, String(args.ts));
        return { ok: true, channel: String(args.channel), ts: String(args.ts), text: message.text, message };
      }
      case "conversations.history": {
        const oldest = Number(args.oldest ?? 0);
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === "true";
        const messages = (history.get(String(args.channel)) ?? [])
          .filter((m) => Number(m.ts) >= oldest)
          .reverse()
          .slice(0, Number(args.limit ?? 100))
          .map(({ metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m));
        return { ok: true, messages, has_more: false, pin_count: 0, response_metadata: { next_cursor: "" } };
      }
      case "conversations.open": {
        const userList = String(args.users ?? "");
        if (args.channel)
          return { ok: true, no_op: true, already_open: true, channel: { id: String(args.channel) } };
        if (userList.includes(",")) return { ok: false, error: "method_not_supported_for_channel_type" };
        const known = dmChannels.get(userList);
        const id =
          known ??
          `D0${userList
            .replace(/^[UW]0?/, "")
            .slice(0, 8)
            .padEnd(8, "D")}`;
        dmChannels.set(userList, id);
        const channel =
          args.return_im === true || args.return_im === "true"
            ? { id, created: 1767225600, is_im: true, is_org_shared: false, user: userList, is_open: true }
            : { id };
        return { ok: true, no_op: known !== undefined, already_open: known !== undefined, channel };
      }
      case "users.info": {
        const id = String(args.user);
        const u = users[id];
        return u ? { ok: true, user: userObject(id, u) } : { ok: false, error: "user_not_found" };
      }
      case "users.lookupByEmail": {
        const email = String(args.email).toLowerCase();
        const found = Object.entries(users).find(([, u]) => u.email?.toLowerCase() === email);
        return found
          ? { ok: true, user: userObject(found[0], found[1]) }
          : { ok: false, error: "users_not_found" };
      }
      case "views.open":
      case "views.push":
      case "views.publish":
        return viewAnswer(args, nextId("V"));
      case "views.update":
        return viewAnswer(args, typeof args.view_id === "string" ? args.view_id : nextId("V"));
    }
  };

  // Returns the reason Slack would reject the request, or undefined when it is well-formed.
  const checkAgainstReference = (
    ref: MethodReference,
    httpMethod: string,
    contentType: string,
    args: Record<string, unknown>,
    token: string | undefined,
  ): string | undefined => {
    // Slack documents a preferred HTTP method; every method also accepts a form POST.
    if (ref.http_method === "POST" && httpMethod !== "POST")
      return `${ref.http_method} required, got ${httpMethod}`;
    if (contentType.startsWith("application/json") && !ref.json_input_supported) {
      return "JSON body sent to a method that only takes form-encoded or query arguments";
    }
    const missing = (ref.args?.required ?? []).filter((name) =>
      name === "token" ? token === undefined : !present(args[name]),
    );
    if (missing.length > 0) return `missing required argument(s): ${missing.join(", ")}`;
    return undefined;
  };

  const oneOfProblem = (method: string, args: Record<string, unknown>): string | undefined => {
    for (const group of ONE_OF_REQUIRED[method] ?? []) {
      if (!group.some((name) => present(args[name]))) return `needs one of: ${group.join(", ")}`;
    }
    return undefined;
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    query: URLSearchParams,
  ) => {
    const httpMethod = req.method ?? "GET";
    const contentType = String(req.headers["content-type"] ?? "");
    const raw = await readBody(req);
    const args = decodeArgs(raw, contentType, query);
    if (args === null) {
      violations.push({ method, reason: "unparseable body", args: { raw } });
      sendJson(res, 200, { ok: false, error: "invalid_json" });
      return;
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ")
      ? auth.slice("Bearer ".length)
      : present(args.token)
        ? String(args.token)
        : undefined;

    const record = (outcome: string) => {
      const call: RecordedCall = { method, args, at: new Date(), httpMethod, contentType, token, outcome };
      calls.push(call);
      for (const listener of callListeners) listener(call);
    };

    const ref = methodReference(method);
    if (!ref || !isSupported(method)) {
      violations.push({ method, reason: ref ? "method not supported by the fake" : "unknown method", args });
      record("unknown_method");
      sendJson(res, 200, { ok: false, error: "unknown_method" });
      return;
    }
    if (token === undefined) {
      violations.push({ method, reason: "no token (Authorization header or token argument)", args });
      record("not_authed");
      sendJson(res, 200, { ok: false, error: "not_authed" });
      return;
    }
    const problem =
      checkAgainstReference(ref, httpMethod, contentType, args, token) ?? oneOfProblem(method, args);
    if (problem) {
      violations.push({ method, reason: problem, args });
      record("invalid_arguments");
      sendJson(res, 200, { ok: false, error: "invalid_arguments" });
      return;
    }
    const failure = failures.get(method)?.shift();
    if (failure && "hang" in failure) {
      if (failure.accept) answer(method, args);
      record(failure.accept ? "accepted_no_answer" : "hung");
      return;
    }
    if (failure && "status" in failure && failure.status !== 429) {
      record(`http_${failure.status}`);
      sendJson(res, failure.status, { ok: false, error: "service_unavailable" });
      return;
    }
    if (failure && "status" in failure) {
      record("rate_limited");
      sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
      return;
    }
    if (failure) {
      record(failure.error);
      sendJson(res, 200, { ok: false, error: failure.error });
      return;
    }
    const reply = answer(method, args);
    record(reply.ok ? "ok" : reply.error);
    sendJson(res, 200, reply);
  };

  const handleRespond = async (req: IncomingMessage, res: ServerResponse, id: string, url: string) => {
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      body = { raw };
    }
    const response: RecordedResponse = { url, id, body, at: new Date() };
    responses.push(response);
    for (const listener of responseListeners) listener(response);
    sendJson(res, 200, { ok: true });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const apiMatch = /^\/api\/([\w.]+)$/.exec(url.pathname);
    const respondMatch = /^\/respond\/([^/]+)$/.exec(url.pathname);
    const work = apiMatch?.[1]
      ? handleApi(req, res, apiMatch[1], url.searchParams)
      : respondMatch?.[1] && req.method === "POST"
        ? handleRespond(req, res, respondMatch[1], `${origin}${url.pathname}`)
        : Promise.resolve(sendJson(res, 404, { ok: false, error: "not_found" }));
    work.catch((error: unknown) => {
      sendJson(res, 500, { ok: false, error: "fake_slack_api_crashed", detail: String(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const describeCalls = () =>
    calls.length === 0
      ? "no calls at all"
      : calls.map((c) => `${c.method} → ${c.outcome} ${JSON.stringify(c.args).slice(0, 200)}`).join("\n  ");

  // Pending waits, so stop() can settle them instead of leaving timers behind.
  const pendingWaits = new Set<() => void>();

  function waitFor<T>(
    existing: () => T | undefined,
    listeners: Set<(item: T) => void>,
    matches: (item: T) => boolean,
    what: string,
    seen: () => string,
  ): Promise<T> {
    const already = existing();
    if (already !== undefined) return Promise.resolve(already);
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        listeners.delete(listener);
        pendingWaits.delete(abandon);
      };
      const listener = (item: T) => {
        if (!matches(item)) return;
        settle();
        resolve(item);
      };
      const abandon = () => {
        settle();
        reject(new Error(`fake Slack API stopped while waiting for ${what}; seen:\n  ${seen()}`));
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`fake Slack API: no ${what} within ${waitTimeoutMs} ms; seen:\n  ${seen()}`));
      }, waitTimeoutMs);
      listeners.add(listener);
      pendingWaits.add(abandon);
    });
  }

  return {
    url: `${origin}/api/`,
    origin,
    calls,
    violations,
    responses,
    users,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitForCall: (method, predicate = () => true) => {
      const matches = (c: RecordedCall) => c.method === method && predicate(c);
      return waitFor(
        () => calls.find(matches),
        callListeners,
        matches,
        `matching ${method} call`,
        describeCalls,
      );
    },
    waitForResponse: (predicate = () => true) =>
      waitFor(
        () => responses.find(predicate),
        responseListeners,
        predicate,
        "matching response_url post",
        () =>
          responses.length === 0
            ? "no response_url posts"
            : responses.map((r) => JSON.stringify(r.body)).join("\n  "),
      ),
    failNext: (method, failure) => {
      if ("error" in failure) {
        const documented = methodReference(method)?.errors ?? {};
        if (!(failure.error in documented) && !COMMON_ERRORS.has(failure.error)) {
          throw new Error(`failNext: Slack does not document error "${failure.error}" for ${method}`);
        }
      }
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    responseUrl: (id) => `${origin}/respond/${id ?? `R${++counter}`}`,
    useClock: (c) => {
      clock = c;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        for (const abandon of [...pendingWaits]) abandon();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
