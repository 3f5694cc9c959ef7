import { fieldsOutsideShape, loadShape } from "./slack-shapes.ts";

// Builders for the HTTP requests Slack sends the app. Each starts from Slack's published shape:
// only fields present there are sent (checked on every build), with realistic values, so a test
// cannot pass against a payload Slack would never send.

export type SlackRequest = {
  /** The raw HTTP body exactly as Slack would send it (sign this). */
  body: string;
  contentType: "application/x-www-form-urlencoded" | "application/json";
  /** The decoded payload, for assertions and shape checks. */
  payload: Record<string, unknown>;
  /** Which published shape the payload was built from. */
  shape: string;
};

export type SlackWorkspace = {
  teamId: string;
  teamDomain: string;
  apiAppId: string;
  /** The app's bot user, as auth.test reports it. */
  botUserId: string;
  /** Slack sends a legacy verification token in every payload; Bolt ignores it. */
  verificationToken: string;
};

export const defaultWorkspace: SlackWorkspace = {
  teamId: "T0TURF0001",
  teamDomain: "acme-sales",
  apiAppId: "A0TURF0001",
  botUserId: "U0TURFBOT1",
  verificationToken: "vErIfIcAtIoNtOkEn0000001",
};

export const SHAPES = {
  slashCommand: "app-backend/slash-commands/SlashCommandPayload.json",
  blockAction: "app-backend/interactive-components/BlockActionPayload.json",
  messageShortcut: "app-backend/interactive-components/MessageShortcutPayload.json",
  viewSubmission: "app-backend/views/ViewSubmissionPayload.json",
  viewClosed: "app-backend/views/ViewClosedPayload.json",
  appHomeOpened: "events/AppHomeOpenedPayload.json",
  appMention: "events/AppMentionPayload.json",
  // Slack publishes no sampled shape for `message` events here; a message.im event is a message
  // like app_mention's, so it is checked against that shape plus the fields below.
  messageIm: "events/AppMentionPayload.json",
} as const;

/** Fields of message.im events documented by Slack (Events API, `message.im`) but absent from the samples. */
export const MESSAGE_IM_EXTRA_FIELDS = ["event.channel_type", "event.parent_user_id"] as const;

let sequence = 0;
const next = () => ++sequence;

/** A trigger id in Slack's format (`<digits>.<digits>.<32 hex>`); unique per call. */
export function triggerId(): string {
  const n = next();
  return `${1234567890 + n}.123456789012.${n.toString(16).padStart(32, "a")}`;
}

/** A message timestamp (`seconds.micros`), as Slack uses for message ids. */
export function messageTs(at: Date = new Date(0)): string {
  const n = next();
  return `${Math.floor(at.getTime() / 1000) || 1767225600}.${String(n).padStart(6, "0")}`;
}

function slackId(prefix: string): string {
  return `${prefix}0${next().toString(36).toUpperCase().padStart(8, "X")}`;
}

// Builders throw on a field outside Slack's shape: the harness must never invent fields.
function checked(payload: Record<string, unknown>, shape: string, allowExtra: readonly string[] = []) {
  const problems = fieldsOutsideShape(payload, loadShape(shape), allowExtra);
  if (problems.length > 0) {
    throw new Error(`payload built for ${shape} has fields Slack does not send:\n${problems.join("\n")}`);
  }
  return payload;
}

function formBody(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    params.append(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  return params.toString();
}

function interactive(payload: Record<string, unknown>, shape: string): SlackRequest {
  checked(payload, shape);
  return {
    body: formBody({ payload: JSON.stringify(payload) }),
    contentType: "application/x-www-form-urlencoded",
    payload,
    shape,
  };
}

/** Where Slack's respond() replies go; point it at the fake API's `/respond/<id>` route. */
const NO_RESPONSE_URL = "http://127.0.0.1:9/respond/no-response-url-given";

type WhoAndWhere = {
  userId: string;
  userName?: string;
  workspace?: SlackWorkspace;
};

function userObject(userId: string, userName: string | undefined, ws: SlackWorkspace) {
  const name = userName ?? userId.toLowerCase();
  return { id: userId, username: name, name, team_id: ws.teamId };
}

function teamObject(ws: SlackWorkspace) {
  return { id: ws.teamId, domain: ws.teamDomain };
}

// ---- slash commands ---------------------------------------------------------------------------

export type SlashCommandOptions = WhoAndWhere & {
  command: string;
  text?: string;
  channelId?: string;
  channelName?: string;
  responseUrl?: string;
  triggerId?: string;
};

/** A slash command invocation: form-encoded fields, as Slack posts them. */
export function slashCommand(o: SlashCommandOptions): SlackRequest {
  const ws = o.workspace ?? defaultWorkspace;
  const payload = checked(
    {
      token: ws.verificationToken,
      team_id: ws.teamId,
      team_domain: ws.teamDomain,
      channel_id: o.channelId ?? "C0SALES001",
      channel_name: o.channelName ?? "sales",
      user_id: o.userId,
      user_name: o.userName ?? o.userId.toLowerCase(),
      command: o.command,
      text: o.text ?? "",
      api_app_id: ws.apiAppId,
      is_enterprise_install: false,
      response_url: o.responseUrl ?? NO_RESPONSE_URL,
      trigger_id: o.triggerId ?? triggerId(),
    },
    SHAPES.slashCommand,
  );
  return {
    body: formBody(payload),
    contentType: "application/x-www-form-urlencoded",
    payload,
    shape: SHAPES.slashCommand,
  };
}

// ---- block actions ----------------------------------------------------------------------------

export type ActionMessage = {
  channelId: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  isEphemeral?: boolean;
  /** The user or bot that posted the message (the app's bot user for its own cards). */
  userId?: string;
};

export type ActionView = {
  id?: string;
  type?: "modal" | "home";
  callbackId?: string;
  privateMetadata?: string;
  values?: ViewStateValues;
};

export type BlockActionOptions = WhoAndWhere & {
  actionId: string;
  blockId?: string;
  /** Button value; omit for selects and pass `selectedOption` instead. */
  value?: string;
  actionType?: string;
  buttonText?: string;
  selectedOption?: { text: string; value: string };
  selectedUser?: string;
  /** The message the clicked element is on; mutually exclusive with `view`. */
  message?: ActionMessage;
  /** The modal or Home tab the clicked element is on. */
  view?: ActionView;
  responseUrl?: string;
  triggerId?: string;
  actionTs?: string;
};

/** A click on an interactive element, in a message or in a view (modal / Home tab). */
export function blockAction(o: BlockActionOptions): SlackRequest {
  const ws = o.workspace ?? defaultWorkspace;
  const action: Record<string, unknown> = {
    action_id: o.actionId,
    block_id: o.blockId ?? `${o.actionId}_block`,
    type: o.actionType ?? (o.selectedOption ? "static_select" : o.selectedUser ? "users_select" : "button"),
    action_ts: o.actionTs ?? messageTs(),
  };
  if (action.type === "button")
    action.text = { type: "plain_text", text: o.buttonText ?? o.actionId, emoji: true };
  if (o.value !== undefined) action.value = o.value;
  if (o.selectedOption) {
    action.selected_option = {
      text: { type: "plain_text", text: o.selectedOption.text, emoji: true },
      value: o.selectedOption.value,
    };
  }
  if (o.selectedUser) action.selected_user = o.selectedUser;

  const payload: Record<string, unknown> = {
    type: "block_actions",
    user: userObject(o.userId, o.userName, ws),
    api_app_id: ws.apiAppId,
    token: ws.verificationToken,
    trigger_id: o.triggerId ?? triggerId(),
    team: teamObject(ws),
    enterprise: null,
    is_enterprise_install: false,
    actions: [action],
  };
  if (o.message && o.view) throw new Error("blockAction: give either message or view, not both");
  if (o.message) {
    const m = o.message;
    payload.container = {
      type: "message",
      message_ts: m.ts,
      channel_id: m.channelId,
      is_ephemeral: m.isEphemeral ?? false,
    };
    payload.channel = { id: m.channelId, name: m.channelId.startsWith("D") ? "directmessage" : "sales" };
    // Ephemeral messages are not stored by Slack, so the payload carries no message body for them.
    if (!m.isEphemeral) {
      payload.message = {
        type: "message",
        user: m.userId ?? ws.botUserId,
        ts: m.ts,
        text: m.text ?? "",
        team: ws.teamId,
        ...(m.blocks ? { blocks: m.blocks } : {}),
      };
    }
    payload.state = { values: {} };
    payload.response_url = o.responseUrl ?? NO_RESPONSE_URL;
  } else if (o.view) {
    const view = viewObject(o.view, ws);
    payload.container = { type: "view", view_id: view.id };
    payload.view = view;
  } else {
    throw new Error("blockAction: give the message or the view the element is on");
  }
  return interactive(payload, SHAPES.blockAction);
}

// ---- views ------------------------------------------------------------------------------------

/** `view.state.values`: block id → action id → the element's state (e.g. `{ type: "plain_text_input", value }`). */
export type ViewStateValues = Record<string, Record<string, Record<string, unknown>>>;

function viewObject(v: ActionView & { title?: string }, ws: SlackWorkspace) {
  const id = v.id ?? slackId("V");
  const type = v.type ?? "modal";
  return {
    id,
    team_id: ws.teamId,
    type,
    title: { type: "plain_text", text: v.title ?? "Turf", emoji: true },
    ...(type === "modal"
      ? {
          submit: { type: "plain_text", text: "Submit", emoji: true },
          close: { type: "plain_text", text: "Cancel", emoji: true },
        }
      : {}),
    private_metadata: v.privateMetadata ?? "",
    callback_id: v.callbackId ?? "",
    external_id: "",
    state: { values: v.values ?? {} },
    hash: `${1767225600 + next()}.abcd1234`,
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: id,
    previous_view_id: null,
    app_id: ws.apiAppId,
    app_installed_team_id: ws.teamId,
    bot_id: "B0TURFBOT1",
  };
}

export type ViewSubmissionOptions = WhoAndWhere & {
  callbackId: string;
  privateMetadata?: string;
  values?: ViewStateValues;
  viewId?: string;
  title?: string;
  triggerId?: string;
};

/** A modal's Submit: Bolt's `app.view(callbackId)` listener receives this. */
export function viewSubmission(o: ViewSubmissionOptions): SlackRequest {
  const ws = o.workspace ?? defaultWorkspace;
  return interactive(
    {
      type: "view_submission",
      team: teamObject(ws),
      user: userObject(o.userId, o.userName, ws),
      api_app_id: ws.apiAppId,
      token: ws.verificationToken,
      trigger_id: o.triggerId ?? triggerId(),
      view: viewObject(
        {
          id: o.viewId,
          callbackId: o.callbackId,
          privateMetadata: o.privateMetadata,
          values: o.values,
          title: o.title,
        },
        ws,
      ),
      enterprise: null,
      is_enterprise_install: false,
    },
    SHAPES.viewSubmission,
  );
}

export type ViewClosedOptions = WhoAndWhere & {
  callbackId: string;
  privateMetadata?: string;
  viewId?: string;
  isCleared?: boolean;
};

/** A modal closed with Cancel / ✕ (sent only when the view was opened with notify_on_close). */
export function viewClosed(o: ViewClosedOptions): SlackRequest {
  const ws = o.workspace ?? defaultWorkspace;
  const view = {
    ...viewObject({ id: o.viewId, callbackId: o.callbackId, privateMetadata: o.privateMetadata }, ws),
  };
  view.notify_on_close = true;
  return interactive(
    {
      type: "view_closed",
      team: teamObject(ws),
      user: userObject(o.userId, o.userName, ws),
      api_app_id: ws.apiAppId,
      token: ws.verificationToken,
      view,
      is_cleared: o.isCleared ?? false,
      enterprise: null,
      is_enterprise_install: false,
    },
    SHAPES.viewClosed,
  );
}

// ---- message shortcuts ------------------------------------------------------------------------

export type MessageShortcutOptions = WhoAndWhere & {
  callbackId: string;
  /** The message the shortcut was run on. */
  message: { text: string; userId: string; ts?: string; blocks?: unknown[] };
  channelId?: string;
  channelName?: string;
  responseUrl?: string;
  triggerId?: string;
};

/** A message shortcut ("⋯ → Who owns this?") run on someone's message. */
export function messageShortcut(o: MessageShortcutOptions): SlackRequest {
  const ws = o.workspace ?? defaultWorkspace;
  const ts = o.message.ts ?? messageTs();
  const { username: _omit, ...user } = userObject(o.userId, o.userName, ws);
  return interactive(
    {
      type: "message_action",
      token: ws.verificationToken,
      action_ts: messageTs(),
      team: teamObject(ws),
      user,
      channel: { id: o.channelId ?? "C0SALES001", name: o.channelName ?? "sales" },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: o.callbackId,
      trigger_id: o.triggerId ?? triggerId(),
      response_url: o.responseUrl ?? NO_RESPONSE_URL,
      message_ts: ts,
      message: {
        type: "message",
        user: o.message.userId,
        ts,
        text: o.message.text,
        team: ws.teamId,
        ...(o.message.blocks ? { blocks: o.message.blocks } : {}),
      },
    },
    SHAPES.messageShortcut,
  );
}

// ---- Events API -------------------------------------------------------------------------------

export type AppHomeOpenedEvent = {
  type: "app_home_opened";
  user: string;
  /** The D… channel of the app's DM with the user. */
  channel?: string;
  tab?: "home" | "messages";
};

export type AppMentionEvent = {
  type: "app_mention";
  user: string;
  text: string;
  channel?: string;
  ts?: string;
  threadTs?: string;
};

export type MessageImEvent = {
  type: "message.im";
  user: string;
  text: string;
  /** The D… channel of the app's DM with the user. */
  channel?: string;
  ts?: string;
  /** Set for replies in a thread (e.g. a dispute's info-request thread). */
  threadTs?: string;
  /** Author of the thread's parent message, when threadTs is set. */
  parentUserId?: string;
};

export type SlackEvent = AppHomeOpenedEvent | AppMentionEvent | MessageImEvent;

export type EventCallbackOptions = { workspace?: SlackWorkspace; eventId?: string; eventTime?: Date };

function innerEvent(
  e: SlackEvent,
  ws: SlackWorkspace,
): { event: Record<string, unknown>; shape: string; extra: readonly string[] } {
  switch (e.type) {
    case "app_home_opened":
      return {
        event: {
          type: "app_home_opened",
          user: e.user,
          channel: e.channel ?? "D0TURFDM01",
          tab: e.tab ?? "home",
          event_ts: messageTs(),
        },
        shape: SHAPES.appHomeOpened,
        extra: [],
      };
    case "app_mention": {
      const ts = e.ts ?? messageTs();
      return {
        event: {
          type: "app_mention",
          client_msg_id: `${next().toString(16).padStart(8, "0")}-1111-2222-3333-444455556666`,
          user: e.user,
          text: e.text,
          ts,
          team: ws.teamId,
          channel: e.channel ?? "C0SALES001",
          event_ts: ts,
          ...(e.threadTs ? { thread_ts: e.threadTs } : {}),
        },
        shape: SHAPES.appMention,
        extra: [],
      };
    }
    case "message.im": {
      const ts = e.ts ?? messageTs();
      return {
        event: {
          type: "message",
          client_msg_id: `${next().toString(16).padStart(8, "0")}-1111-2222-3333-444455556666`,
          user: e.user,
          text: e.text,
          ts,
          team: ws.teamId,
          channel: e.channel ?? "D0TURFDM01",
          event_ts: ts,
          channel_type: "im",
          ...(e.threadTs ? { thread_ts: e.threadTs, parent_user_id: e.parentUserId ?? ws.botUserId } : {}),
        },
        shape: SHAPES.messageIm,
        extra: MESSAGE_IM_EXTRA_FIELDS,
      };
    }
  }
}

/** An Events API delivery (`event_callback`), JSON-encoded as Slack posts it. */
export function eventCallback(e: SlackEvent, o: EventCallbackOptions = {}): SlackRequest {
  const ws = o.workspace ?? defaultWorkspace;
  const { event, shape, extra } = innerEvent(e, ws);
  const payload = checked(
    {
      token: ws.verificationToken,
      team_id: ws.teamId,
      api_app_id: ws.apiAppId,
      event,
      type: "event_callback",
      event_id: o.eventId ?? `Ev0${next().toString(36).toUpperCase().padStart(9, "0")}`,
      event_time: Math.floor((o.eventTime ?? new Date(1767225600_000)).getTime() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: ws.teamId,
          user_id: ws.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(JSON.stringify({ et: event.type, tid: ws.teamId })).toString("base64url")}`,
    },
    shape,
    extra,
  );
  return { body: JSON.stringify(payload), contentType: "application/json", payload, shape };
}
