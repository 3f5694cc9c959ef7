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

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: "turf",
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      base: undefined,
    },
    options.destination,
  );
}
