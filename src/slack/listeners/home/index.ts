// App Home: the tab each rep sees, rebuilt whenever they open it.
import type { ListenerTable } from "../table.ts";
import { homeOpened } from "./home-opened.ts";

export const homeListeners: ListenerTable = {
  events: { app_home_opened: homeOpened },
};
