import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import { appHomeView } from "../views/app-home.ts";
import { disputeSections } from "../views/disputes/lists.ts";
import { territoryHealthSection } from "../views/rebalance/health-section.ts";
import type { ListenerDeps } from "./deps.ts";

export async function publishHome(
  client: WebClient,
  deps: ListenerDeps,
  slackUserId: string,
  log: Logger,
): Promise<void> {
  try {
    const [rep, recent] = await Promise.all([
      deps.services.repBySlackId(slackUserId),
      deps.services.recentLookups(slackUserId),
    ]);
    const manager = rep ? await deps.services.rebalanceManager(slackUserId) : null;
    const extraSections = manager ? territoryHealthSection(await deps.services.territoryHealth()) : [];
    const disputes = rep ? await deps.services.disputes.lists(slackUserId) : null;
    const disputeBlocks = disputes
      ? disputeSections(disputes, { isArbiter: disputes.rep.roles.includes("arbiter") })
      : [];
    const view = appHomeView({
      repName: rep?.name ?? null,
      recentLookups: recent,
      extraSections: [...disputeBlocks, ...extraSections],
      timeZone: deps.services.timeZone,
    });
    await client.views.publish({ user_id: slackUserId, view: view as never });
  } catch (error) {
    log.error({ err: error }, "publishing App Home failed");
  }
}
