export * from "./next-action.ts";
export * from "./route.ts";
export * from "./signal.ts";
export * from "./window.ts";
