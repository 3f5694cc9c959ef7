import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import { appHomeView } from "../views/app-home.ts";
import type { ListenerDeps } from "./deps.ts";

export async function publishHome(client: WebClient, deps: ListenerDeps, slackUserId: string, log: Logger): Promise<void> {
  try {
    const [rep, recent] = await Promise.all([
      deps.services.repBySlackId(slackUserId),
      deps.services.recentLookups(slackUserId),
    ]);
    const view = appHomeView({ repName: rep?.name ?? null, recentLookups: recent });
    await client.views.publish({ user_id: slackUserId, view: view as never });
  } catch (error) {
    log.error({ err: error }, "publishing App Home failed");
  }
}
