// App Home for one user: their recent lookups, their disputes and, for managers, territory health.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Services } from "../../services/index.ts";
import { appHomeView, pendingMovesSection } from "../views/app-home.ts";
import { section } from "../views/blocks.ts";
import { disputeSections } from "../views/disputes/lists.ts";
import { territoryHealthSection } from "../views/rebalance/health-section.ts";
import { signalHomeSections } from "../views/signals/home-section.ts";

export async function publishHome(
  client: WebClient,
  services: Services,
  slackUserId: string,
  log: Logger,
): Promise<void> {
  try {
    const [rep, recent] = await Promise.all([
      services.findRepBySlackId(slackUserId),
      services.recentLookups(slackUserId),
    ]);
    const manager = rep ? await services.findManager(slackUserId) : null;
    const extraSections = manager ? territoryHealthSection(await services.territoryHealthReport()) : [];
    // Managers see when Slack messages gave up (the outbox's dead rows), so someone acts on them.
    const dead = manager ? await services.outbox.deadCount() : 0;
    if (dead > 0)
      extraSections.unshift(
        section(
          `:warning: ${dead} Slack message${dead === 1 ? "" : "s"} could not be delivered. An admin can list ${dead === 1 ? "it" : "them"} with \`turf outbox list\` and send again with \`turf outbox retry\`.`,
        ),
      );
    const disputes = rep ? await services.disputes.lists(slackUserId) : null;
    const disputeBlocks = disputes
      ? disputeSections(disputes, { isArbiter: disputes.rep.roles.includes("arbiter") })
      : [];
    const pendingMoves = rep ? await services.pendingNoticesForRep(rep.id) : [];
    const signals = rep ? await services.signals.home(slackUserId) : null;
    const signalBlocks = signals ? signalHomeSections(signals, services.timeZone) : [];
    const view = appHomeView({
      repName: rep?.name ?? null,
      recentLookups: recent,
      extraSections: [
        ...pendingMovesSection(pendingMoves),
        ...signalBlocks,
        ...disputeBlocks,
        ...extraSections,
      ],
      timeZone: services.timeZone,
    });
    await client.views.publish({ user_id: slackUserId, view: view });
  } catch (error) {
    log.error({ err: error }, "publishing App Home failed");
  }
}
