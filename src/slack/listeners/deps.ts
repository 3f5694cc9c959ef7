import type { Logger } from "pino";
import type { Services } from "../../services/index.ts";

/** What every listener gets: the use cases and the root logger (each request logs through a child). */
export type ListenerDeps = { services: Services; logger: Logger };
