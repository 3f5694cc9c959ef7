// The signal parts of App Home: the rep's queue, and for a manager the team's figures this month.
import type { Db } from "../../db/client.ts";
import { type QueueItem, signalQueue, signalStats } from "../../db/signals.ts";

export type SignalHome = {
  queue: QueueItem[];
  team: {
    since: string;
    routed: number;
    touched: number;
    medianMinutesToFirstTouch: number | null;
    notMine: number;
  } | null;
};

export async function signalHome(
  db: Db,
  input: { slackUserId: string; now: Date; monthStart: Date; monthLabel: string },
): Promise<SignalHome | null> {
  const rep = await db.rep.findUnique({
    where: { slackUserId: input.slackUserId },
    select: { id: true, team: true, roles: true },
  });
  if (!rep) return null;
  const queue = await signalQueue(db, rep.id, new Date(input.now.getTime() - 30 * 24 * 3_600_000));
  const manages = rep.roles.includes("manager") || rep.roles.includes("admin");
  if (!manages) return { queue, team: null };
  // A manager sees their team; an admin without a team sees everyone.
  const members = await db.rep.findMany({
    where: rep.team ? { team: rep.team } : {},
    select: { id: true },
  });
  const stats = await signalStats(
    db,
    members.map((m) => m.id),
    input.monthStart,
  );
  return { queue, team: { since: input.monthLabel, ...stats } };
}
