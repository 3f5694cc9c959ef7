// Sends what a publication announces: the channel memo, then one DM per affected rep. A DM that
// fails is logged and the rest still go out; reps without a Slack id are named in the memo only.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Announcement } from "../../services/rebalance/publish-rebalance.ts";
import { rebalanceMemo, rebalanceRepDm } from "../views/rebalance/announcement.ts";

export type SendReport = { memoTs: string | null; dmsSent: number; dmsSkipped: number; dmsFailed: number };

export async function sendAnnouncement(
  client: WebClient,
  a: Announcement,
  log: Logger,
  timeZone: string,
): Promise<SendReport> {
  const report: SendReport = { memoTs: null, dmsSent: 0, dmsSkipped: 0, dmsFailed: 0 };
  const memo = rebalanceMemo(a, timeZone);
  try {
    const posted = await client.chat.postMessage({
      channel: a.channel,
      text: memo.text,
      blocks: memo.blocks as never,
    });
    report.memoTs = posted.ts ?? null;
  } catch (error) {
    log.error({ err: error, rebalanceId: a.preview.id }, "posting the rebalance memo failed");
  }
  for (const notice of a.notices) {
    if (!notice.rep.slackUserId) {
      report.dmsSkipped++;
      continue;
    }
    try {
      const opened = await client.conversations.open({ users: notice.rep.slackUserId });
      const channel = opened.channel?.id;
      if (!channel) throw new Error("conversations.open returned no channel");
      const dm = rebalanceRepDm(notice, a, timeZone);
      await client.chat.postMessage({ channel, text: dm.text, blocks: dm.blocks as never });
      report.dmsSent++;
    } catch (error) {
      report.dmsFailed++;
      log.error({ err: error, rebalanceId: a.preview.id, repId: notice.rep.id }, "rebalance DM failed");
    }
  }
  return report;
}
