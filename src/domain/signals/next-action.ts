// The recommended next action a rep sees with a signal: what a good rep would do next, per kind of
// signal, in the guide's spirit of working the signal "while the buyer is still researching".
import type { SignalType } from "./signal.ts";

const NEXT_ACTION: Record<SignalType, string> = {
  email_engagement: "Reply in the thread while it is warm and offer a short call this week.",
  meeting_accepted: "Prepare the meeting: confirm attendees and send an agenda today.",
  stakeholder_added: "Introduce yourself to the new stakeholder and map them on the account plan.",
  multi_thread_depth: "Book a group session: several people are engaged, bring a solution engineer.",
  third_party_intent: "Reach out within 24 hours with content on the topic they are researching.",
  champion_job_change: "Congratulate your champion and ask who now owns the evaluation.",
  hiring_spike: "Open with how teams that grow this fast use us; target the hiring manager.",
  funding: "Congratulate them on the round and propose a planning call for the new budget.",
  product_usage: "Check usage with the customer success owner and propose an expansion call.",
  other: "Review the signal and decide on outreach today.",
};

export function recommendedNextAction(types: readonly SignalType[]): string {
  // The strongest cue first: a meeting or a champion move beats generic engagement.
  const order: SignalType[] = [
    "meeting_accepted",
    "champion_job_change",
    "product_usage",
    "funding",
    "multi_thread_depth",
    "stakeholder_added",
    "third_party_intent",
    "hiring_spike",
    "email_engagement",
    "other",
  ];
  const best = order.find((t) => types.includes(t)) ?? "other";
  return NEXT_ACTION[best];
}
