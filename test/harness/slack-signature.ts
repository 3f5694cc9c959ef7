import { createHmac } from "node:crypto";

// Slack signs every request it sends to the app (v0 scheme); tests must sign the same way so the
// real Bolt receiver, not a stub, decides whether a request is genuine.

export type SlackSignatureHeaders = {
  "x-slack-signature": string;
  "x-slack-request-timestamp": string;
};

/** `timestamp` is Unix seconds; pass an old one to forge a stale (replayed) request. */
export function signSlackRequest(
  body: string,
  signingSecret: string,
  timestamp: number,
): SlackSignatureHeaders {
  const ts = String(Math.floor(timestamp));
  const digest = createHmac("sha256", signingSecret).update(`v0:${ts}:${body}`).digest("hex");
  return { "x-slack-signature": `v0=${digest}`, "x-slack-request-timestamp": ts };
}

/** Unix seconds for a Date; the signature timestamp Slack would send at that instant. */
export function slackTimestamp(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
