// Slack's `not_in_channel` must come with what to do about it, wherever it is logged.
import { Writable } from "node:stream";
import { ErrorCode } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/config/logger.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: "info", destination }), lines };
}

function platformError(code: string): Error {
  return Object.assign(new Error(`An API error occurred: ${code}`), {
    code: ErrorCode.PlatformError,
    data: { ok: false, error: code },
  });
}

describe("logged Slack errors", () => {
  it("tell the reader to invite @Turf when Slack answers not_in_channel", () => {
    const { logger, lines } = capture();
    logger.error({ err: platformError("not_in_channel") }, "posting the rebalance memo failed");
    expect(lines[0]?.err).toMatchObject({
      message: "An API error occurred: not_in_channel",
      hint: expect.stringContaining("/invite @Turf"),
    });
  });

  it("leave other errors as they are", () => {
    const { logger, lines } = capture();
    logger.error({ err: platformError("channel_not_found") }, "failed");
    expect(lines[0]?.err).toMatchObject({ message: "An API error occurred: channel_not_found" });
    expect(lines[0]?.err).not.toHaveProperty("hint");
  });
});
