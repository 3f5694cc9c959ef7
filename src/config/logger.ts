// One pino root logger for the whole process, handed to Bolt too. Tokens and secrets never reach a log.
import pino, { type Logger } from "pino";

export const REDACTED_PATHS = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "appToken",
  "*.appToken",
  "signingSecret",
  "*.signingSecret",
  "headers.authorization",
  "*.headers.authorization",
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
  "DATABASE_URL",
  "*.DATABASE_URL",
];

export type { Logger };

// Slack's answer when the bot posts to a channel it was not invited to. The WebClient error does not
// name the fix, and every caller logs `err`, so the hint is added where errors are serialised.
const NOT_IN_CHANNEL_HINT =
  "Turf is not a member of that channel. In Slack, open the channel (TURF_REBALANCE_CHANNEL or " +
  "TURF_ESCALATION_CHANNEL) and run /invite @Turf, then retry.";

function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error);
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return code === "not_in_channel" ? { ...serialized, hint: NOT_IN_CHANNEL_HINT } : serialized;
}

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: "turf",
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      base: undefined,
      serializers: { err: serializeError },
    },
    options.destination,
  );
}
