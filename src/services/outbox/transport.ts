// What the outbox sender needs from Slack, as an interface: the Slack layer implements it with a
// WebClient (src/slack/outbox-transport.ts); tests and services never see the Web API.

export type Place = { channel: string; ts: string };

export type SlackTransport = {
  /** chat.postMessage; the message carries `outboxId` in its metadata so it can be found again. */
  post(message: {
    channel: string;
    text: string;
    blocks: unknown[] | null;
    threadTs: string | null;
    outboxId: string;
  }): Promise<Place>;
  /** conversations.open for one user: the DM channel's id. */
  openDm(slackUserId: string): Promise<string>;
  update(message: { channel: string; ts: string; text: string; blocks: unknown[] | null }): Promise<void>;
  /** A message in `channel` since `since` whose metadata carries `outboxId`, or null (conversations.history). */
  findPosted(channel: string, outboxId: string, since: Date): Promise<Place | null>;
};

/**
 * A failed Slack call, classified. `retryable`: rate limits, 5xx, timeouts, network errors — worth
 * another attempt. `uncertain`: the request may have reached Slack (timeout, 5xx, cut connection),
 * so the next attempt looks for the message before posting it again.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly uncertain: boolean,
    readonly retryAfterMs?: number,
    /** A dropped connection (not a timeout): worth one more try at once, after looking for the message. */
    readonly retryNow = false,
  ) {
    super(message);
    this.name = "TransportError";
  }
}
