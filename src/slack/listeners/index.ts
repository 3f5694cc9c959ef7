// Every Slack surface Turf answers, registered in one place: a newcomer can start here and follow a
// click to its listener, then to a service.
import type { App } from "@slack/bolt";
import * as homeSearch from "./actions/home-search.ts";
import * as ownerAnswerButtons from "./actions/owner-answer-buttons.ts";
import * as ownerCommand from "./commands/owner.ts";
import type { ListenerDeps } from "./deps.ts";
import * as disputes from "./disputes/index.ts";
import * as appHomeOpened from "./events/app-home-opened.ts";
import * as appMention from "./events/app-mention.ts";
import * as rebalance from "./rebalance/index.ts";
import * as whoOwnsThis from "./shortcuts/who-owns-this.ts";
import * as signals from "./signals/index.ts";

export function registerListeners(app: App, deps: ListenerDeps): void {
  for (const listener of [
    ownerCommand,
    ownerAnswerButtons,
    homeSearch,
    appHomeOpened,
    appMention,
    whoOwnsThis,
    rebalance,
    disputes,
    signals,
  ]) {
    listener.register(app, deps);
  }
}
