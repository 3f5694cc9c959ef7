// App Home: published fresh each time the rep opens it.
import { publishHome } from "../../present/publish-home.ts";
import { requestLogger } from "../../request-log.ts";
import type { EventArgs, Handler } from "../table.ts";

export const homeOpened: Handler<EventArgs<"app_home_opened">> = async ({ event, client, body }, deps) => {
  if (event.tab !== "home") return;
  const log = requestLogger(deps.logger, body, "event:app_home_opened");
  await publishHome(client, deps.services, event.user, log);
};
