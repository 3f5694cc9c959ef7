// The playground's pretend Slack workspace: its ids, its channels, and its people, who are the
// reps in Turf's own table (so every rep with a Slack id can be "signed in" as in the browser).
import type { Db } from "../db/client.ts";

export const WORKSPACE = {
  teamId: "T0TURF0001",
  teamDomain: "turf-playground",
  appId: "A0TURF0001",
  botUserId: "U0TURFBOT1",
  botId: "B0TURFBOT1",
  botName: "Turf",
  /** Slack sends a legacy verification token in every payload; Bolt ignores it. */
  verificationToken: "pLaYgRoUnDvErIfIcAtIoN01",
} as const;

export type Channel = { id: string; name: string; topic: string };

export const SALES_CHANNEL: Channel = {
  id: "C0SALES001",
  name: "sales",
  topic: "Ask Turf who owns an account: /owner globex.com",
};
export const REBALANCE_CHANNEL: Channel = {
  id: "C0REBALANC1",
  name: "territory-changes",
  topic: "Rebalance memos",
};
export const ESCALATION_CHANNEL: Channel = {
  id: "C0ESCALATE1",
  name: "dispute-escalations",
  topic: "Disputes past their 48 hours",
};
export const CHANNELS: Channel[] = [SALES_CHANNEL, REBALANCE_CHANNEL, ESCALATION_CHANNEL];

export type WorkspaceUser = {
  id: string;
  /** Slack handle (the e-mail's local part). */
  name: string;
  realName: string;
  email: string;
  tz: string;
  /** What the switcher shows under the name: team and roles. */
  title: string;
  roles: string[];
  isBot: boolean;
};

// Slack knows each person's time zone; the reps table does not, so each team gets a plausible one.
const TEAM_ZONES: Record<string, string> = {
  Americas: "America/New_York",
  International: "Europe/Berlin",
  RevOps: "America/Los_Angeles",
  Healthcare: "America/Chicago",
  Strategic: "America/New_York",
};

export function botUser(): WorkspaceUser {
  return {
    id: WORKSPACE.botUserId,
    name: "turf",
    realName: WORKSPACE.botName,
    email: "",
    tz: "UTC",
    title: "App",
    roles: [],
    isBot: true,
  };
}

/** Everyone in the reps table with a Slack id, in the order an admin would list them. */
export async function workspaceUsers(db: Db, fallbackZone: string): Promise<WorkspaceUser[]> {
  const reps = await db.rep.findMany({
    where: { slackUserId: { not: null }, active: true },
    orderBy: { name: "asc" },
  });
  return reps.map((rep) => ({
    id: rep.slackUserId as string,
    name: rep.email.split("@")[0] ?? rep.email,
    realName: rep.name,
    email: rep.email,
    tz: TEAM_ZONES[rep.team ?? ""] ?? fallbackZone,
    title: [rep.team, rep.roles.join(", ")].filter(Boolean).join(" · "),
    roles: rep.roles,
    isBot: false,
  }));
}

/** The D… id of a person's DM with the app (one per person, stable across restarts). */
export const dmChannelOf = (userId: string) => `D${userId.slice(1)}`;
