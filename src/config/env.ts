// Every environment variable Turf reads, parsed once with zod. Nothing else in src/ reads process.env.
// A missing or wrong value stops start-up with a message naming the variable and what it expects.
import { z } from "zod";

const PLACEHOLDER = /your|placeholder|changeme|xxx/i;

function slackToken(prefix: string, whereToFind: string) {
  return z
    .string({ error: `is missing: ${whereToFind}` })
    .trim()
    .min(1, `is empty: ${whereToFind}`)
    .refine((v) => !PLACEHOLDER.test(v), `still holds the placeholder from .env.example: ${whereToFind}`)
    .refine((v) => v.startsWith(prefix), `must start with "${prefix}": ${whereToFind}`);
}

const ZBoolean = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: 'must be "true" or "false"' })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** What every entry point needs: the database and the logger. The CLI needs nothing more. */
export const ZCoreEnv = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "must be a PostgreSQL URL like postgres://user@host:5432/db")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  TURF_DATA_DIR: z.string().trim().min(1).default(".turf-data"),
  TURF_LOAD_SAMPLE_DATA: ZBoolean.default(true),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TURF_TIMEZONE: z
    .string()
    .default("UTC")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "must be an IANA time zone such as Europe/Berlin or America/New_York"),
  TURF_FISCAL_YEAR_START_MONTH: z.coerce
    .number({ error: "must be a month number 1–12" })
    .int()
    .min(1, "must be a month number 1–12")
    .max(12, "must be a month number 1–12")
    .default(1),
  TURF_HEAD_OF_REVOPS_EMAIL: z.email("must be an e-mail address").optional(),
  /** `rules reevaluate` stops without --yes when it would take more than this share of owned accounts. */
  TURF_REEVALUATE_MAX_CHANGE_SHARE: z.coerce
    .number({ error: "must be a share between 0 and 1, such as 0.2 for 20 %" })
    .min(0, "must be a share between 0 and 1, such as 0.2 for 20 %")
    .max(1, "must be a share between 0 and 1, such as 0.2 for 20 %")
    .default(0.2),
  /** Backup arbiter for disputes the head of RevOps decides; unset = none (never a guess). */
  TURF_HEAD_OF_REVOPS_BACKUP_EMAIL: z.email("must be an e-mail address").optional(),
  /** Annual team quota: pipeline coverage (the rebalance trigger, the health report) needs it. */
  TURF_TEAM_QUOTA: z.coerce
    .number({ error: "must be an annual amount such as 24000000" })
    .positive("must be an annual amount such as 24000000")
    .optional(),
});

const ZSlackEnv = z.object({
  SLACK_MODE: z.enum(["socket", "http"], { error: 'must be "socket" or "http"' }).default("socket"),
  SLACK_BOT_TOKEN: slackToken(
    "xoxb-",
    "the Bot User OAuth Token (OAuth & Permissions page of your Slack app)",
  ),
  SLACK_APP_TOKEN: z.string().trim().optional(),
  SLACK_SIGNING_SECRET: z.string().trim().optional(),
  PORT: z.coerce.number({ error: "must be a port number" }).int().min(0).max(65535).default(3000),
  SLACK_API_URL: z.url("must be a URL such as https://slack.com/api/").optional(),
  TURF_ESCALATION_CHANNEL: z.string().trim().optional(),
  TURF_REBALANCE_CHANNEL: z.string().trim().optional(),
  TURF_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});

export const ZAppEnv = ZCoreEnv.extend(ZSlackEnv.shape).superRefine((env, ctx) => {
  if (env.SLACK_MODE === "socket") {
    const where = "the App-Level Token with connections:write (Basic Information → App-Level Tokens)";
    const result = slackToken("xapp-", where).safeParse(env.SLACK_APP_TOKEN);
    if (!result.success) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_APP_TOKEN"],
        message: result.error.issues[0]?.message ?? where,
      });
    }
  }
  if (env.SLACK_MODE === "http") {
    const where = "the Signing Secret (Basic Information → App Credentials)";
    const secret = env.SLACK_SIGNING_SECRET ?? "";
    if (secret.length === 0 || PLACEHOLDER.test(secret)) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: `${secret ? "still holds the placeholder from .env.example" : "is missing"}: ${where} (required when SLACK_MODE=http)`,
      });
    }
  }
});

export type CoreEnv = z.infer<typeof ZCoreEnv>;
export type AppEnv = z.infer<typeof ZAppEnv>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Turf cannot start: fix these settings (see .env.example):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, source: Record<string, string | undefined>): T {
  // An empty line in .env (SLACK_SIGNING_SECRET=) means "not set", so defaults and optionals apply.
  const present = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`),
  );
}

export function loadCoreEnv(source: Record<string, string | undefined>): CoreEnv {
  return parseOrThrow(ZCoreEnv, source);
}

export function loadAppEnv(source: Record<string, string | undefined>): AppEnv {
  return parseOrThrow(ZAppEnv, source);
}

/**
 * True when no Slack token is really set (each is missing, empty or still the .env.example
 * placeholder): `npm start` then serves the playground instead of connecting to Slack. A real-looking
 * token with other settings wrong is a configuration error, never a reason to start the playground.
 */
export function slackTokensMissing(source: Record<string, string | undefined>): boolean {
  return ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"].every((name) => {
    const value = source[name]?.trim() ?? "";
    return value === "" || PLACEHOLDER.test(value);
  });
}

/** The playground's page port (PORT, as in HTTP mode; 0 picks a free one) and its job interval. */
export function loadPlaygroundEnv(source: Record<string, string | undefined>) {
  return parseOrThrow(ZSlackEnv.pick({ PORT: true, TURF_SWEEP_INTERVAL_SECONDS: true }), source);
}
