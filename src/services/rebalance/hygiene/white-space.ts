// White space (ICP-fit accounts nobody owns) offered to the reps with the most room, by the same
// allocation index the rebalance uses: accounts biggest index first, each to the eligible rep whose
// capacity-adjusted total after taking it is smallest — the draft's own greedy step. An offer is a
// DM, not an assignment; each account is offered once per fiscal quarter. Locked accounts (open
// opportunities, named) are not offered: the rules engine and disputes decide those.
import { recordAudit } from "../../../db/audit.ts";
import type { Db, Tx } from "../../../db/client.ts";
import { loadRebalanceBook } from "../../../db/rebalance.ts";
import { fiscalQuarterOf } from "../../../domain/rebalance/quarters.ts";
import { type AccountScore, scoreAccount } from "../../../domain/rebalance/scoring.ts";
import { compileTerritories, draftReps, eligibleRepsFor, isLocked, prepareDraft } from "../draft-input.ts";
import { type RebalanceSettings, withDefaults } from "../settings.ts";
import { auditedFor, HYGIENE_LOCK } from "./stale-ownership.ts";

export type WhiteSpaceOffer = { accountId: string; name: string; crmId: string; score: AccountScore };
export type WhiteSpaceNotice = {
  repId: string;
  repName: string;
  slackUserId: string | null;
  capacityWeight: number;
  offers: WhiteSpaceOffer[];
};

export async function offerWhiteSpace(
  db: Db,
  input: {
    now: Date;
    settings?: Partial<RebalanceSettings>;
    /** Writes the notices' messages (the outbox) in the same transaction as the audit rows. */
    notify?: (tx: Tx, notices: WhiteSpaceNotice[]) => Promise<unknown>;
  },
): Promise<WhiteSpaceNotice[]> {
  const settings = withDefaults(input.settings);
  const cycle = fiscalQuarterOf(input.now, settings.calendar).label;
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${HYGIENE_LOCK.whiteSpace})`;
      const book = await loadRebalanceBook(tx);
      const reps = draftReps(book);
      const prepared = prepareDraft(book, settings.weights, { reps });
      const total = new Map(reps.map((r) => [r.id, 0]));
      for (const a of prepared.input.accounts) {
        const owner = a.currentOwnerRepId as string;
        total.set(owner, (total.get(owner) ?? 0) + a.index);
      }
      const offered = new Set(
        (await auditedFor(tx, "hygiene.white_space_offer", cycle)).map((e) => e.subjectId),
      );
      const territories = compileTerritories(book.territories);
      const repsByTerritory = new Map<string, string[]>();
      for (const r of reps)
        for (const t of r.territoryIds) repsByTerritory.set(t, [...(repsByTerritory.get(t) ?? []), r.id]);
      const repOf = new Map(reps.map((r) => [r.id, r]));

      const candidates = book.accounts
        .filter(
          (a) =>
            a.currentOwnerRepId === null &&
            !isLocked(a) &&
            (a.account.icpFit ?? 0) >= settings.whiteSpaceMinIcpFit &&
            !offered.has(a.account.id),
        )
        .map((a) => ({ a, score: scoreAccount(a.account, a.openOpportunities, settings.weights) }))
        .sort((x, y) => y.score.index - x.score.index || (x.a.account.id < y.a.account.id ? -1 : 1));

      const notices = new Map<string, WhiteSpaceNotice>();
      for (const { a, score } of candidates) {
        let best: string | null = null;
        let bestCost = Number.POSITIVE_INFINITY;
        for (const repId of [...eligibleRepsFor(a.account, territories, repsByTerritory)].sort()) {
          const rep = repOf.get(repId);
          if (!rep) continue;
          const cost = ((total.get(repId) ?? 0) + score.index) / rep.capacityWeight;
          if (cost < bestCost) {
            best = repId;
            bestCost = cost;
          }
        }
        // Nobody's territory covers it: a territory gap for RevOps, not an offer.
        if (best === null) continue;
        const rep = repOf.get(best);
        if (!rep) continue;
        total.set(best, (total.get(best) ?? 0) + score.index);
        await recordAudit(tx, {
          actor: "system",
          action: "hygiene.white_space_offer",
          subjectType: "account",
          subjectId: a.account.id,
          details: { cycle, repId: best, index: score.index, factors: score.factors },
          at: input.now,
        });
        let n = notices.get(best);
        if (!n) {
          n = {
            repId: best,
            repName: rep.name,
            slackUserId: rep.slackUserId,
            capacityWeight: rep.capacityWeight,
            offers: [],
          };
          notices.set(best, n);
        }
        n.offers.push({ accountId: a.account.id, name: a.account.name, crmId: a.account.crmId, score });
      }
      const sorted = [...notices.values()].sort((x, y) => x.repName.localeCompare(y.repName));
      await input.notify?.(tx, sorted);
      return sorted;
    },
    { timeout: 120_000 },
  );
}
