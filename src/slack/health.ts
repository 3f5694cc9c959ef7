// Liveness and readiness on the HTTP receiver's own port (Bolt custom routes), for load balancers,
// container health checks and orchestrators. Liveness says only that the process answers; readiness
// says this instance can serve Slack: its database answers, its migrations are applied and its bot
// token was accepted by Slack at start-up.
import type { ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import type { ReadinessCheck } from "../services/health/readiness.ts";

/** Checks owned outside the Slack layer (the database), run on every /readyz request. */
export type ReadinessProbe = () => Promise<ReadinessCheck[]>;

export const HEALTH_PATH = "/healthz";
export const READY_PATH = "/readyz";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

export function healthRoutes(options: {
  probe?: ReadinessProbe;
  slackTokenVerified: () => boolean;
}): CustomRoute[] {
  return [
    {
      path: HEALTH_PATH,
      method: ["GET", "HEAD"],
      handler: (_req, res) => sendJson(res, 200, { status: "ok" }),
    },
    {
      path: READY_PATH,
      method: ["GET", "HEAD"],
      handler: (_req, res) => {
        void readiness(options).then(
          (checks) => {
            const ready = checks.every((c) => c.ok);
            sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks });
          },
          () => sendJson(res, 503, { status: "not ready", checks: [{ name: "probe", ok: false }] }),
        );
      },
    },
  ];
}

async function readiness(options: {
  probe?: ReadinessProbe;
  slackTokenVerified: () => boolean;
}): Promise<ReadinessCheck[]> {
  const slack: ReadinessCheck = options.slackTokenVerified()
    ? { name: "slack_token", ok: true }
    : { name: "slack_token", ok: false, detail: "auth.test has not succeeded yet" };
  return [...((await options.probe?.()) ?? []), slack];
}
