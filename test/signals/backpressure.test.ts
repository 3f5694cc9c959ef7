// A burst larger than Turf can store at once is told to come back (429, Retry-After), at once and
// with nothing stored, instead of each request waiting for a database connection until it fails.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/config/clock.ts";
import { signalsRoute } from "../../src/http/signals-route.ts";
import { signBody } from "../../src/http/signature.ts";

const SECRET = "signal-secret-for-tests-0123456789";
const clock = fixedClock(new Date("2026-11-30T10:00:00Z"));

describe("POST /signals under a burst", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("answers 429 with Retry-After beyond the requests in flight, and takes new ones once they finish", async () => {
    const stored: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const route = signalsRoute({
      secret: SECRET,
      clock,
      logger: pino({ level: "silent" }),
      maxInFlight: 2,
      signals: {
        ingest: async (input) => {
          await held;
          stored.push(input.id);
          return {
            ok: true as const,
            signalId: input.id,
            status: "routed" as const,
            reason: "test",
            repId: null,
          };
        },
      },
    });
    server = createServer((req, res) => route.handler(req, res));
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/signals`;
    const post = (id: string) => {
      const body = JSON.stringify({
        id,
        account: "globex.com",
        type: "funding",
        strength: 4,
        occurred_at: clock.now().toISOString(),
        source: "Crunchbase",
      });
      const ts = Math.floor(clock.now().getTime() / 1000);
      return fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-turf-request-timestamp": String(ts),
          "x-turf-signature": signBody(SECRET, ts, body),
        },
        body,
      });
    };

    const first = post("s-1");
    const second = post("s-2");
    // Both are in flight (held in ingest) before the third arrives.
    await new Promise<void>((resolve) => {
      const wait = () => (route.inFlight() === 2 ? resolve() : setImmediate(wait));
      wait();
    });
    const refused = await post("s-3");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(((await refused.json()) as { message: string }).message).toMatch(/Retry with the same id/);

    release();
    expect((await first).status).toBe(202);
    expect((await second).status).toBe(202);
    expect((await post("s-3")).status).toBe(202);
    expect(stored.sort()).toEqual(["s-1", "s-2", "s-3"]);
  });
});
