// The signals endpoint is authenticated like Slack's own requests: an HMAC-SHA256 over
// "v1:<timestamp>:<raw body>" with a shared secret, and a timestamp within five minutes of now (in
// either direction), so a captured request cannot be replayed later.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-turf-signature";
export const TIMESTAMP_HEADER = "x-turf-request-timestamp";
const WINDOW_SECONDS = 5 * 60;

export function signBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`v1:${timestamp}:${body}`).digest("hex")}`;
}

export type SignatureCheck = { ok: true } | { ok: false; problem: string };

export function verifySignature(input: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  now: Date;
}): SignatureCheck {
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) {
    return { ok: false, problem: `${TIMESTAMP_HEADER} is missing or not a Unix time in seconds` };
  }
  const skew = Math.abs(Math.floor(input.now.getTime() / 1000) - Number(input.timestamp));
  if (skew > WINDOW_SECONDS) {
    return { ok: false, problem: `${TIMESTAMP_HEADER} is more than 5 minutes from the server's clock` };
  }
  if (!input.signature) return { ok: false, problem: `${SIGNATURE_HEADER} is missing` };
  const expected = Buffer.from(signBody(input.secret, Number(input.timestamp), input.body));
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, problem: `${SIGNATURE_HEADER} does not match the body` };
  }
  return { ok: true };
}
