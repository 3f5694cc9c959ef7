import { describe, expect, it } from "vitest";
import { ConfigError, loadAppEnv, loadCoreEnv } from "../../src/config/env.ts";

const valid = { SLACK_BOT_TOKEN: "xoxb-123-456-abc", SLACK_APP_TOKEN: "xapp-1-A0-123-abc" };

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadAppEnv(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("configuration from the environment", () => {
  it("applies documented defaults, and treats empty values as unset", () => {
    const env = loadAppEnv({ ...valid, DATABASE_URL: "", TURF_HEAD_OF_REVOPS_EMAIL: "", PORT: "" });
    expect(env).toMatchObject({
      SLACK_MODE: "socket",
      PORT: 3000,
      TURF_DATA_DIR: ".turf-data",
      LOG_LEVEL: "info",
      TURF_TIMEZONE: "UTC",
      TURF_FISCAL_YEAR_START_MONTH: 1,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("the copied .env.example fails on the placeholder tokens, naming each", () => {
    expect(
      problems({ SLACK_BOT_TOKEN: "xoxb-your-bot-token", SLACK_APP_TOKEN: "xapp-your-app-token" }),
    ).toEqual([
      "SLACK_BOT_TOKEN still holds the placeholder from .env.example: the Bot User OAuth Token (OAuth & Permissions page of your Slack app)",
      "SLACK_APP_TOKEN still holds the placeholder from .env.example: the App-Level Token with connections:write (Basic Information → App-Level Tokens)",
    ]);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: undefined }, /SLACK_BOT_TOKEN is missing/],
    [{ SLACK_BOT_TOKEN: "xoxp-123-user-token" }, /SLACK_BOT_TOKEN must start with "xoxb-"/],
    [{ SLACK_MODE: "websocket" }, /SLACK_MODE must be "socket" or "http"/],
    [{ SLACK_MODE: "http" }, /SLACK_SIGNING_SECRET is missing.*required when SLACK_MODE=http/],
    [{ PORT: "eighty" }, /PORT must be a port number/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must be a PostgreSQL URL/],
    [{ TURF_TIMEZONE: "Mars/Olympus" }, /TURF_TIMEZONE must be an IANA time zone/],
    [{ TURF_FISCAL_YEAR_START_MONTH: "13" }, /TURF_FISCAL_YEAR_START_MONTH must be a month number 1–12/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
  ])("rejects %o with a message naming the variable", (override, message) => {
    expect(problems({ ...valid, ...override }).join("\n")).toMatch(message);
  });

  it("the CLI needs no Slack settings", () => {
    expect(loadCoreEnv({}).TURF_DATA_DIR).toBe(".turf-data");
  });
});
