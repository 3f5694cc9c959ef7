// A feature's listeners as data: Slack's id (command name, action_id, view callback_id, shortcut
// callback_id, event type) → the handler that answers it. An id seen in a payload leads to its
// handler in one step: open the feature's index.ts and read the row.
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import type { ListenerDeps } from "./deps.ts";

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
export type ViewSubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type MessageShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;
export type EventArgs<E extends string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;

/** One Slack callback: Bolt's arguments plus the use cases and logger. */
export type Handler<Args> = (args: Args, deps: ListenerDeps) => Promise<void>;

/** The events Turf subscribes to (manifests/ lists the same ones). */
type EventHandlers = {
  app_home_opened?: Handler<EventArgs<"app_home_opened">>;
  app_mention?: Handler<EventArgs<"app_mention">>;
  message?: Handler<EventArgs<"message">>;
};

export type ListenerTable = {
  /** Slash command name, e.g. "/owner". */
  commands?: Record<string, Handler<CommandArgs>>;
  /** Button action_id. */
  actions?: Record<string, Handler<ButtonArgs>>;
  /** Modal callback_id, on submit. */
  views?: Record<string, Handler<ViewSubmitArgs>>;
  /** Message shortcut callback_id. */
  shortcuts?: Record<string, Handler<MessageShortcutArgs>>;
  events?: EventHandlers;
};

export function registerTable(app: App, deps: ListenerDeps, table: ListenerTable): void {
  for (const [command, handle] of Object.entries(table.commands ?? {})) {
    app.command(command, (args) => handle(args, deps));
  }
  for (const [actionId, handle] of Object.entries(table.actions ?? {})) {
    app.action<BlockAction<ButtonAction>>(actionId, (args) => handle(args, deps));
  }
  for (const [callbackId, handle] of Object.entries(table.views ?? {})) {
    app.view<ViewSubmitAction>(callbackId, (args) => handle(args, deps));
  }
  for (const [callbackId, handle] of Object.entries(table.shortcuts ?? {})) {
    app.shortcut<MessageShortcut>(callbackId, (args) => handle(args, deps));
  }
  const events = table.events ?? {};
  const { app_home_opened: homeOpened, app_mention: mention, message } = events;
  if (homeOpened) app.event("app_home_opened", (args) => homeOpened(args, deps));
  if (mention) app.event("app_mention", (args) => mention(args, deps));
  if (message) app.event("message", (args) => message(args, deps));
}
