import { signSlackRequest } from "./slack-signature.ts";

// Delivers a request to the app's HTTP receiver the way Slack does (signed, with Slack's headers),
// so Slack-level tests exercise the real signature check, body parsing and ack path in Bolt.

export type PostToAppOptions = {
  body: string;
  contentType: string;
  signingSecret: string;
  /** Unix seconds to sign with; defaults to the current time (Bolt checks it against its clock). */
  timestamp?: number;
  /** Sign with a different secret, as an attacker without the secret would. */
  forgeSignature?: boolean;
  /** Sign with a timestamp this many seconds in the past (Bolt rejects more than 5 minutes). */
  staleBySeconds?: number;
  /** Slack's redelivery headers, sent when an earlier delivery was not acknowledged in time. */
  retry?: { num: number; reason: "http_timeout" | "http_error" | "connection_failed" | string };
  headers?: Record<string, string>;
  /** Defaults to Bolt's `/slack/events`. */
  path?: string;
};

export type AppResponse = {
  status: number;
  /** Raw response text (Bolt answers acks with an empty body or JSON). */
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  headers: Record<string, string>;
};

export async function postToApp(appBaseUrl: string, o: PostToAppOptions): Promise<AppResponse> {
  const now = Math.floor(Date.now() / 1000);
  const timestamp = o.timestamp ?? now - (o.staleBySeconds ?? 0);
  const secret = o.forgeSignature ? `${o.signingSecret}-forged` : o.signingSecret;
  const headers: Record<string, string> = {
    "content-type": o.contentType,
    ...signSlackRequest(o.body, secret, timestamp),
    ...(o.retry ? { "x-slack-retry-num": String(o.retry.num), "x-slack-retry-reason": o.retry.reason } : {}),
    ...(o.headers ?? {}),
  };
  const url = new URL(o.path ?? "/slack/events", appBaseUrl);
  const res = await fetch(url, { method: "POST", headers, body: o.body });
  const body = await res.text();
  let json: unknown;
  try {
    json = body === "" ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: res.status, body, json, headers: Object.fromEntries(res.headers.entries()) };
}
