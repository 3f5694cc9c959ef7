// zod at Slack's edge: the fields each listener relies on, checked before any work is done. Bolt has
// verified the signature by then; this catches payloads that are well-signed but not what we expect.
import { z } from "zod";

const slackId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[A-Z0-9]+$`), `must be a Slack id starting with ${prefix}`);

export const ZSlashCommand = z.object({
  command: z.string().startsWith("/"),
  text: z.string().max(4000, "is too long (4,000 characters at most)").default(""),
  user_id: slackId("[UW]"),
  team_id: slackId("T"),
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1),
  response_url: z.url().optional(),
});

export const ZButtonAction = z.object({
  action_id: z.string(),
  value: z.string().max(2000).default(""),
});

export const ZActor = z.object({
  user: z.object({ id: slackId("[UW]") }),
  team: z.object({ id: slackId("T") }).nullish(),
});

export const ZMessageShortcut = z.object({
  callback_id: z.string(),
  user: z.object({ id: slackId("[UW]") }),
  message: z.object({ text: z.string().default("") }).loose(),
  channel: z.object({ id: z.string() }).loose(),
  response_url: z.url(),
});

export const ZAppMention = z.object({
  user: slackId("[UW]"),
  text: z.string().default(""),
  channel: z.string(),
  ts: z.string(),
  thread_ts: z.string().optional(),
});

export function parseOrNull<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}
