// Every dispute surface: filing (button and modal), the arbiter's buttons and modals, the
// claimant's thread replies and the manager's sign-off.
import type { App } from "@slack/bolt";
import type { ListenerDeps } from "../deps.ts";
import * as arbiterButtons from "./arbiter-buttons.ts";
import * as decideSubmit from "./decide-submit.ts";
import * as fileSubmit from "./file-submit.ts";
import * as infoReply from "./info-reply.ts";
import * as openFiling from "./open-filing.ts";
import * as signOff from "./sign-off.ts";

export function register(app: App, deps: ListenerDeps): void {
  for (const listener of [openFiling, fileSubmit, arbiterButtons, decideSubmit, infoReply, signOff]) {
    listener.register(app, deps);
  }
}
