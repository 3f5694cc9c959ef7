// Every Slack surface Turf answers, registered in one place. Each feature's index.ts is a table from
// the id Slack sends (command, action_id, callback_id, event type) to the handler file that answers.
import type { App } from "@slack/bolt";
import type { ListenerDeps } from "./deps.ts";
import { disputeListeners } from "./disputes/index.ts";
import { homeListeners } from "./home/index.ts";
import { ownershipListeners } from "./ownership/index.ts";
import { rebalanceListeners } from "./rebalance/index.ts";
import { registerTable } from "./table.ts";

export const LISTENER_TABLES = [ownershipListeners, homeListeners, rebalanceListeners, disputeListeners];

export function registerListeners(app: App, deps: ListenerDeps): void {
  for (const table of LISTENER_TABLES) registerTable(app, deps, table);
}
