// What a rep's signal DM shows, loaded in one place: the account and its firmographics, the signals
// in the window, why it is theirs, and the recommended next action.
import type { Db, Tx } from "../../db/client.ts";
import { loadOwnerSnapshot } from "../../db/owner-card.ts";
import { findMessage, type MessageKind, motionsOfAccount, signalsByIds } from "../../db/signals.ts";
import { recommendedNextAction, type SignalType } from "../../domain/signals/index.ts";

export type SignalMessageModel = {
  messageId: string;
  kind: MessageKind;
  state: string;
  snoozedUntil: Date | null;
  account: {
    id: string;
    crmId: string;
    name: string;
    domains: string[];
    industry: string | null;
    region: string | null;
    country: string | null;
    sizeBand: string | null;
    employees: number | null;
    icpFit: number | null;
    openOpportunities: number;
  };
  owner: { name: string; slackUserId: string | null } | null;
  motions: { motion: string; name: string; slackUserId: string | null }[];
  signals: {
    type: SignalType;
    strength: number;
    occurredAt: Date;
    source: string;
    productLine: string | null;
    detail: string | null;
  }[];
  why: string;
  nextAction: string;
};

export async function loadSignalMessage(db: Db | Tx, messageId: string): Promise<SignalMessageModel | null> {
  const message = await findMessage(db, messageId);
  if (!message) return null;
  const [snapshot, signals, motions, routed] = await Promise.all([
    loadOwnerSnapshot(db, message.accountId),
    signalsByIds(db, message.signalIds),
    motionsOfAccount(db, message.accountId),
    db.signal.findFirst({
      where: { id: { in: message.signalIds } },
      orderBy: { receivedAt: "desc" },
      select: { reason: true },
    }),
  ]);
  if (!snapshot) return null;
  const { card, situation } = snapshot;
  const types = signals.map((s) => s.type as SignalType);
  return {
    messageId: message.id,
    kind: message.kind,
    state: message.state,
    snoozedUntil: message.snoozedUntil,
    account: {
      id: card.account.id,
      crmId: card.account.crmId,
      name: card.account.name,
      domains: card.account.domains,
      industry: card.account.industry,
      region: card.account.region,
      country: card.account.country,
      sizeBand: card.account.sizeBand,
      employees: situation.facts.account.employees,
      icpFit: situation.facts.account.icpFit,
      openOpportunities: card.openOpportunities.count,
    },
    owner: card.owner ? { name: card.owner.name, slackUserId: card.owner.slackUserId } : null,
    motions: motions.map((m) => ({ motion: m.motion, name: m.name, slackUserId: m.slackUserId })),
    signals: signals.map((s) => ({
      type: s.type as SignalType,
      strength: s.strength,
      occurredAt: new Date(s.occurredAt),
      source: s.source,
      productLine: s.productLine,
      detail: s.detail,
    })),
    why: routedReason(routed?.reason ?? null, message.kind),
    nextAction: recommendedNextAction(types),
  };
}

function routedReason(reason: string | null, kind: MessageKind): string {
  if (kind === "fyi")
    return "A second product motion is working your account; you keep it. No action needed unless the motions collide.";
  return reason ?? "You are the rep of record.";
}
