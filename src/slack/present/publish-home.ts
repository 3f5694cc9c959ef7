// App Home for one user: their recent lookups, their disputes and, for managers, territory health.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Services } from "../../services/index.ts";
import { appHomeView, pendingMovesSection } from "../views/app-home.ts";
import { disputeSections } from "../views/disputes/lists.ts";
import { territoryHealthSection } from "../views/rebalance/health-section.ts";

export async function publishHome(
  client: WebClient,
  services: Services,
  slackUserId: string,
  log: Logger,
): Promise<void> {
  try {
    const [rep, recent] = await Promise.all([
      services.repBySlackId(slackUserId),
      services.recentLookups(slackUserId),
    ]);
    const manager = rep ? await services.rebalanceManager(slackUserId) : null;
    const extraSections = manager ? territoryHealthSection(await services.territoryHealth()) : [];
    const disputes = rep ? await services.disputes.lists(slackUserId) : null;
    const disputeBlocks = disputes
      ? disputeSections(disputes, { isArbiter: disputes.rep.roles.includes("arbiter") })
      : [];
    const pendingMoves = rep ? await services.pendingMovesForRep(rep.id) : [];
    const view = appHomeView({
      repName: rep?.name ?? null,
      recentLookups: recent,
      extraSections: [...pendingMovesSection(pendingMoves), ...disputeBlocks, ...extraSections],
      timeZone: services.timeZone,
    });
    await client.views.publish({ user_id: slackUserId, view: view as never });
  } catch (error) {
    log.error({ err: error }, "publishing App Home failed");
  }
}
