// A child logger per Slack request, carrying team, user and request ids, so one rep's trouble can be
// followed across log lines. Never logs payload text or tokens.
import type { Logger } from "pino";

export function requestLogger(root: Logger, body: unknown, kind: string): Logger {
  const b = (body ?? {}) as Record<string, unknown>;
  const user =
    (b.user as { id?: string } | undefined)?.id ??
    (b.user_id as string | undefined) ??
    (b.event as { user?: string } | undefined)?.user;
  const team = (b.team as { id?: string } | undefined)?.id ?? (b.team_id as string | undefined);
  const requestId = (b.trigger_id as string | undefined) ?? (b.event_id as string | undefined);
  return root.child({ slack: { kind, team, user, requestId } });
}
