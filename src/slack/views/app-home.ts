// App Home: how to use Turf, a search box, and the rep's recent lookups. Dispute queues and manager
// reports join here as sections when the rep has those roles.
import type { HomeView, ModalView } from "@slack/types";
import { actions, type Block, button, context, divider, header, section } from "./blocks.ts";
import { OWNER_USAGE } from "./help.ts";
import { clip, escapeMrkdwn, LIMITS } from "./limits.ts";
import { slackDate } from "./slack-date.ts";

export const HOME_ACTION = { openSearch: "home_open_search", repeatLookup: "home_repeat_lookup" } as const;
export const SEARCH_MODAL = {
  callbackId: "owner_search",
  blockId: "query",
  actionId: "query_input",
} as const;

export type HomeData = {
  repName: string | null;
  recentLookups: { query: string; at: Date }[];
  extraSections?: Block[];
  /** The company time zone (TURF_TIMEZONE) for date fallbacks. */
  timeZone: string;
};

export function appHomeView(data: HomeData): HomeView {
  const blocks: Block[] = [
    header(data.repName ? `Welcome to Turf, ${data.repName.split(" ")[0]}` : "Welcome to Turf"),
    section(
      "Turf answers *who owns an account, and why*: the owner, the rule that decided it and since when. Disputes go to an arbiter with a 48-hour clock, and every decision becomes a rule.",
    ),
    actions([button("Who owns…?", HOME_ACTION.openSearch, "search", "primary")]),
    section(OWNER_USAGE),
  ];
  if (!data.repName) {
    blocks.push(
      context(
        "You are not in Turf's rep list yet. Ask RevOps to add you (turf import reps) so disputes and your book show up here.",
      ),
    );
  }
  blocks.push(divider(), section("*Your recent lookups*"));
  if (data.recentLookups.length === 0) {
    blocks.push(context("Nothing yet. Try the button above, or `/owner globex.com` anywhere."));
  } else {
    for (const l of data.recentLookups) {
      blocks.push(
        section(
          `${escapeMrkdwn(clip(l.query, 200))} · ${slackDate(l.at, data.timeZone)}`,
          button("Ask again", HOME_ACTION.repeatLookup, clip(l.query, 500)),
        ),
      );
    }
  }
  for (const extra of data.extraSections ?? []) blocks.push(extra);
  return { type: "home", blocks: blocks.slice(0, LIMITS.viewBlocks) };
}

export function searchModal(): ModalView {
  return {
    type: "modal",
    callback_id: SEARCH_MODAL.callbackId,
    title: { type: "plain_text", text: "Who owns…?" },
    submit: { type: "plain_text", text: "Look up" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: SEARCH_MODAL.blockId,
        label: { type: "plain_text", text: "Company, domain, e-mail or CRM id" },
        element: {
          type: "plain_text_input",
          action_id: SEARCH_MODAL.actionId,
          placeholder: { type: "plain_text", text: "globex.com, Globex Corp, 001…" },
          max_length: 500,
        },
      },
    ],
  };
}

/** Moves the rules have dated for later into or out of the rep's book ("… on 1 Jan 2027 — named account list"). */
export function pendingMovesSection(sentences: readonly string[]): Block[] {
  if (sentences.length === 0) return [];
  const lines = sentences.map((s) => `• ${escapeMrkdwn(s)}`).join("\n");
  return [
    divider(),
    section(clip(`*Coming to your book*\n${lines}`, LIMITS.sectionText)),
    context(
      "Until the date the current owner keeps the account, with credit for in-flight opportunities through closure.",
    ),
  ];
}
