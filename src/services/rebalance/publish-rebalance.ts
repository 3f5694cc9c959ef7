// Publishing: the draft becomes the plan. The status flips draft → published in one conditional
// update, so only the first click (or retry, or instance) gets the announcement to send; every later
// one learns it was already published and sends nothing.

import { recordAudit } from "../../db/audit.ts";
import type { Db, Tx } from "../../db/client.ts";
import { claimPublication, findRebalance } from "../../db/rebalance.ts";
import { type Result, refuse } from "../../domain/app-error.ts";
import { loadRebalance } from "./load-rebalance.ts";
import type { MoveLine, RebalanceError, RebalancePreview } from "./preview-rebalance.ts";
import type { RepLine } from "./summary.ts";

export type RepNotice = {
  rep: { id: string; name: string; slackUserId: string | null; capacityWeight: number };
  gains: MoveLine[];
  losses: MoveLine[];
};

export type Announcement = {
  channel: string;
  preview: RebalancePreview;
  publishedBy: string;
  /** One per affected rep, in name order. */
  notices: RepNotice[];
};

export type PublishOutcome =
  | { published: true; announcement: Announcement }
  | { published: false; status: string; publishedAt: Date | null; publishedBy: string | null };

export async function publishRebalance(
  db: Db,
  input: {
    rebalanceId: string;
    actor: string;
    now: Date;
    channel: string | null;
    /** Writes the memo and every DM to the outbox in the publishing transaction (nothing lost on a crash). */
    announce?: (announcement: Announcement, tx: Tx) => Promise<unknown>;
  },
): Promise<Result<PublishOutcome, RebalanceError>> {
  const row = await findRebalance(db, input.rebalanceId);
  if (!row)
    return refuse("not_found", `no rebalance ${input.rebalanceId}`, "That rebalance no longer exists.");
  if (!input.channel) {
    const why = "No channel is set for rebalancing memos. Ask an admin to set TURF_REBALANCE_CHANNEL.";
    return refuse("no_channel", why, why);
  }
  const claimed = await db.$transaction(
    async (tx): Promise<Announcement | null> => {
      if (!(await claimPublication(tx, input.rebalanceId, input.actor, input.now))) return null;
      await recordAudit(tx, {
        actor: input.actor,
        action: "rebalance.published",
        subjectType: "rebalance",
        subjectId: input.rebalanceId,
        details: { quarter: row.quarter, mode: row.mode, moves: row._count.moves, channel: input.channel },
        at: input.now,
      });
      const loaded = await loadRebalance(tx, input.rebalanceId);
      if (!loaded) throw new Error(`rebalance ${input.rebalanceId} vanished while publishing`);
      const announcement: Announcement = {
        channel: input.channel as string,
        preview: loaded.preview,
        publishedBy: input.actor,
        notices: noticesFor(loaded.preview),
      };
      await input.announce?.(announcement, tx);
      return announcement;
    },
    { timeout: 60_000 },
  );
  if (!claimed) {
    const now = await findRebalance(db, input.rebalanceId);
    return {
      ok: true,
      value: {
        published: false,
        status: now?.status ?? row.status,
        publishedAt: now?.publishedAt ?? null,
        publishedBy: now?.publishedBy ?? null,
      },
    };
  }
  return { ok: true, value: { published: true, announcement: claimed } };
}

/** Groups moves by the reps they touch: what each rep gains and loses. */
export function noticesFor(preview: RebalancePreview): RepNotice[] {
  const lines = new Map<string, RepLine>(preview.summary.reps.map((r) => [r.repId, r]));
  const byRep = new Map<string, RepNotice>();
  const noticeOf = (repId: string, name: string, capacityWeight: number) => {
    let n = byRep.get(repId);
    if (!n) {
      const line = lines.get(repId);
      n = {
        rep: {
          id: repId,
          name: line?.name ?? name,
          slackUserId: line?.slackUserId ?? null,
          capacityWeight: line?.capacityWeight ?? capacityWeight,
        },
        gains: [],
        losses: [],
      };
      byRep.set(repId, n);
    }
    return n;
  };
  for (const m of preview.moves) {
    noticeOf(m.toRepId, m.toName, m.factors.toCapacityWeight).gains.push(m);
    if (m.fromRepId)
      noticeOf(m.fromRepId, m.fromName ?? m.fromRepId, m.factors.fromCapacityWeight ?? 1).losses.push(m);
  }
  return [...byRep.values()].sort((a, b) => a.rep.name.localeCompare(b.rep.name));
}
