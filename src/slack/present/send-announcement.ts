// What a publication announces: the channel memo, then one DM per affected rep, as outbox rows
// written in the publishing transaction (src/services/outbox delivers them, retrying until Slack
// takes each once). Reps without a Slack id are named in the memo only.
import type { OutgoingMessage } from "../../services/outbox/index.ts";
import type { Announcement } from "../../services/rebalance/publish-rebalance.ts";
import { rebalanceMemo, rebalanceRepDm } from "../views/rebalance/announcement.ts";

export function announcementMessages(a: Announcement, timeZone: string): OutgoingMessage[] {
  const memo = rebalanceMemo(a, timeZone);
  const messages: OutgoingMessage[] = [
    {
      kind: "post",
      channel: a.channel,
      text: memo.text,
      blocks: memo.blocks as unknown[],
      purpose: "rebalance.memo",
      subjectId: a.preview.id,
    },
  ];
  for (const notice of a.notices) {
    if (!notice.rep.slackUserId) continue;
    const dm = rebalanceRepDm(notice, a, timeZone);
    messages.push({
      kind: "dm",
      channel: notice.rep.slackUserId,
      text: dm.text,
      blocks: dm.blocks as unknown[],
      purpose: "rebalance.rep_dm",
      subjectId: a.preview.id,
    });
  }
  return messages;
}
