// App Home: published fresh each time the rep opens it.
import type { App } from "@slack/bolt";
import type { ListenerDeps } from "../deps.ts";
import { publishHome } from "../publish-home.ts";
import { requestLogger } from "../request-log.ts";

export function register(app: App, deps: ListenerDeps): void {
  app.event("app_home_opened", async ({ event, client, body }) => {
    if (event.tab !== "home") return;
    const log = requestLogger(deps.logger, body, "event:app_home_opened");
    await publishHome(client, deps, event.user, log);
  });
}
