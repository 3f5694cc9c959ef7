// A rep acts on a signal DM: Working it, Not mine, Snooze. Only the rep the message went to can act.

import { recordAudit } from "../../db/audit.ts";
import type { Db } from "../../db/client.ts";
import { findRepBySlackId } from "../../db/reps.ts";
import { findMessage, setMessageState } from "../../db/signals.ts";

export type SignalAction = "working" | "not_mine" | "snoozed";

export type ActResult =
  | { ok: true; messageId: string; accountId: string; state: SignalAction; snoozedUntil: Date | null }
  | { ok: false; code: "not_found" | "not_yours"; userMessage: string };

const SNOOZE_HOURS = 24;

export async function actOnSignalMessage(
  db: Db,
  input: { messageId: string; slackUserId: string; action: SignalAction; now: Date },
): Promise<ActResult> {
  const [message, rep] = await Promise.all([
    findMessage(db, input.messageId),
    findRepBySlackId(db, input.slackUserId),
  ]);
  if (!message) {
    return {
      ok: false,
      code: "not_found",
      userMessage: "That signal is no longer in Turf. Nothing was changed.",
    };
  }
  if (!rep || rep.id !== message.repId) {
    return {
      ok: false,
      code: "not_yours",
      userMessage: "Only the rep this signal was routed to can act on it.",
    };
  }
  const snoozedUntil =
    input.action === "snoozed" ? new Date(input.now.getTime() + SNOOZE_HOURS * 3_600_000) : null;
  await db.$transaction(async (tx) => {
    await setMessageState(tx, { id: message.id, state: input.action, at: input.now, snoozedUntil });
    await recordAudit(tx, {
      actor: rep.id,
      action: `signal.${input.action}`,
      subjectType: "account",
      subjectId: message.accountId,
      details: { messageId: message.id, signalIds: message.signalIds },
      at: input.now,
    });
  });
  return { ok: true, messageId: message.id, accountId: message.accountId, state: input.action, snoozedUntil };
}
