// The outbox's SlackTransport over the Web API. Its own WebClient: a timeout on every call, no
// hidden retries (the outbox retries, with its own backoff and attempt cap, and records each try),
// and rate limits reported instead of waited out inside one call.
import { type WebAPICallResult, WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Services } from "../services/index.ts";
import type { Notifier } from "../services/outbox/index.ts";
import { type SlackTransport, TransportError } from "../services/outbox/transport.ts";

export const SLACK_CALL_TIMEOUT_MS = 10_000;
const EVENT_TYPE = "turf_outbox";

// Slack answers these when it is the one in trouble; another attempt later may succeed.
const RETRYABLE_PLATFORM_ERRORS = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "team_added_to_org",
]);

/** Turns a WebClient error into a TransportError the outbox can act on. */
export function classifySlackError(error: unknown): TransportError {
  const e = error as {
    code?: string;
    data?: { error?: string };
    retryAfter?: number;
    statusCode?: number;
    message?: string;
  };
  switch (e.code) {
    case "slack_webapi_rate_limited_error":
      return new TransportError("rate limited by Slack", true, false, (e.retryAfter ?? 30) * 1000);
    case "slack_webapi_platform_error": {
      const code = e.data?.error ?? "unknown_error";
      const retryable = RETRYABLE_PLATFORM_ERRORS.has(code);
      return new TransportError(`Slack answered ${code}`, retryable, retryable && code !== "ratelimited");
    }
    case "slack_webapi_http_error":
      return new TransportError(`Slack answered HTTP ${e.statusCode ?? "error"}`, true, true);
    case "slack_webapi_request_error": {
      // A reused keep-alive connection the other side had closed fails at once ("fetch failed");
      // a timeout is a hang, and trying again at once would only hang again.
      const timedOut = /timeout|timed out|abort/i.test(
        `${e.message ?? ""} ${String((error as { original?: unknown }).original ?? "")}`,
      );
      return new TransportError(
        `no answer from Slack (${e.message ?? "request failed"})`,
        true,
        true,
        undefined,
        !timedOut,
      );
    }
    default:
      return new TransportError(e.message ?? String(error), true, true);
  }
}

export function outboxClient(
  token: string | undefined,
  slackApiUrl?: string,
  timeoutMs = SLACK_CALL_TIMEOUT_MS,
): WebClient {
  return new WebClient(token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

async function call<T extends WebAPICallResult>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw classifySlackError(error);
  }
}

export function slackTransport(client: WebClient): SlackTransport {
  return {
    async post({ channel, text, blocks, threadTs, outboxId }) {
      const posted = await call(() =>
        client.chat.postMessage({
          channel,
          text,
          ...(blocks ? { blocks: blocks as never } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          metadata: { event_type: EVENT_TYPE, event_payload: { id: outboxId } },
        }),
      );
      return { channel: String(posted.channel ?? channel), ts: String(posted.ts) };
    },
    async openDm(slackUserId) {
      const opened = await call(() => client.conversations.open({ users: slackUserId }));
      const id = opened.channel?.id;
      if (!id) throw new TransportError(`conversations.open gave no channel for ${slackUserId}`, true, false);
      return id;
    },
    async update({ channel, ts, text, blocks }) {
      await call(() =>
        client.chat.update({ channel, ts, text, ...(blocks ? { blocks: blocks as never } : {}) }),
      );
    },
    async findPosted(channel, outboxId, since) {
      // A small window: from a minute before the row was written; the bot's own recent messages.
      const history = await call(() =>
        client.conversations.history({
          channel,
          oldest: String(Math.floor(since.getTime() / 1000) - 60),
          include_all_metadata: true,
          limit: 200,
        }),
      );
      for (const m of history.messages ?? []) {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { id?: unknown } } }).metadata;
        if (meta?.event_type === EVENT_TYPE && meta.event_payload?.id === outboxId && m.ts)
          return { channel, ts: m.ts };
      }
      return null;
    },
  };
}

const transports = new Map<string, SlackTransport>();

/** The outbox over a listener's client (same token and Slack URL, the outbox's timeouts and retry policy). */
export function notifierFor(services: Services, client: WebClient, logger: Logger): Notifier {
  const key = `${client.slackApiUrl}\n${client.token ?? ""}`;
  let transport = transports.get(key);
  if (!transport) {
    transport = slackTransport(outboxClient(client.token, client.slackApiUrl));
    transports.set(key, transport);
  }
  return services.outbox.notifier(transport, logger);
}
