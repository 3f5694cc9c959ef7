// A buying signal as Turf receives it, from the HTTP endpoint, a CSV or the CLI. One schema for
// every edge, so a signal means the same thing whichever way it arrived.
import { z } from "zod";

export const SIGNAL_TYPES = [
  "email_engagement",
  "meeting_accepted",
  "stakeholder_added",
  "multi_thread_depth",
  "third_party_intent",
  "champion_job_change",
  "hiring_spike",
  "funding",
  "product_usage",
  "other",
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export const SIGNAL_TYPE_LABELS: Record<SignalType, string> = {
  email_engagement: "Email engagement",
  meeting_accepted: "Meeting accepted",
  stakeholder_added: "Stakeholder added",
  multi_thread_depth: "Multi-thread depth",
  third_party_intent: "Third-party intent",
  champion_job_change: "Champion job change",
  hiring_spike: "Hiring spike",
  funding: "Funding",
  product_usage: "Product usage",
  other: "Other signal",
};

/** Tab, line feed and carriage return are text; every other C0 control character and DEL is not. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127) return true;
  }
  return false;
}

const ZText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !hasControlCharacter(v), "must not contain control characters");

/** The fields a sender provides. `id` is the sender's idempotency key. */
export const ZSignalInput = z.object({
  id: ZText(200),
  account: ZText(500),
  type: z.enum(SIGNAL_TYPES, { error: `must be one of ${SIGNAL_TYPES.join(", ")}` }),
  strength: z.coerce
    .number({ error: "must be a whole number from 1 (weak) to 5 (strong)" })
    .int("must be a whole number from 1 (weak) to 5 (strong)")
    .min(1, "must be a whole number from 1 (weak) to 5 (strong)")
    .max(5, "must be a whole number from 1 (weak) to 5 (strong)"),
  occurred_at: z.iso.datetime({
    offset: true,
    error: "must be an ISO 8601 timestamp such as 2026-11-30T09:00:00Z",
  }),
  source: ZText(100),
  product_line: ZText(100).optional(),
  urgent: z.boolean().optional(),
  detail: z.string().trim().max(1000, "must be at most 1000 characters").optional(),
});
export type SignalInput = z.infer<typeof ZSignalInput>;

/** The problems with one signal, each naming its field. */
export function signalProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "signal"} ${i.message}`);
}
