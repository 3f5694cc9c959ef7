// Links reps to their Slack users by e-mail (Slack's users.lookupByEmail, scope users:read.email), so
// admins load reps with the address Slack knows them by and never copy Slack user ids by hand.
// Runs at start-up; reps Slack does not know stay unlinked and are reported, never guessed.
import type { Db } from "../../db/client.ts";
import { linkRepToSlackUser, repsWithoutSlackUser } from "../../db/reps.ts";

/** Slack's user id for an e-mail address, or null when the workspace has no such user. */
export type SlackUserByEmail = (email: string) => Promise<string | null>;

export type LinkReport = {
  linked: { email: string; slackUserId: string }[];
  /** No Slack user has this address (or it is already linked to another rep). */
  unmatched: string[];
  /** The lookup failed (rate limit, network): retried on the next start. */
  failed: string[];
};

export async function linkRepsToSlackUsers(db: Db, lookup: SlackUserByEmail): Promise<LinkReport> {
  const report: LinkReport = { linked: [], unmatched: [], failed: [] };
  // One at a time: users.lookupByEmail is Tier 3 (about 50 a minute) and the WebClient queues anyway.
  for (const rep of await repsWithoutSlackUser(db)) {
    let slackUserId: string | null;
    try {
      slackUserId = await lookup(rep.email);
    } catch {
      report.failed.push(rep.email);
      continue;
    }
    if (slackUserId && (await linkRepToSlackUser(db, rep.id, slackUserId))) {
      report.linked.push({ email: rep.email, slackUserId });
    } else {
      report.unmatched.push(rep.email);
    }
  }
  return report;
}
