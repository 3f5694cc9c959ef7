// Bolt refuses a signed request more than five minutes in the past but not one from the future, so a
// request signed with a clock set ahead (or captured and replayed later) would pass. This guard sits in
// front of Bolt's HTTP handler and answers 401 to a Slack request whose timestamp is more than five
// minutes ahead; everything else reaches Bolt unchanged.
import type { IncomingMessage, Server, ServerResponse } from "node:http";

export const MAX_FUTURE_SECONDS = 5 * 60;

export function isFromTheFuture(header: string | string[] | undefined, nowMs: number): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return false; // Bolt refuses a request without one
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds - Math.floor(nowMs / 1000) > MAX_FUTURE_SECONDS;
}

export function rejectFutureTimestamps(server: Server, now: () => number = Date.now): void {
  const handlers = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (isFromTheFuture(req.headers["x-slack-request-timestamp"], now())) {
      req.resume();
      res.writeHead(401, { "content-type": "text/plain; charset=utf-8" });
      res.end("x-slack-request-timestamp is more than 5 minutes ahead of this server's clock");
      return;
    }
    for (const handle of handlers) handle.call(server, req, res);
  });
}
