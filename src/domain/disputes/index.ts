export * from "./clock.ts";
export * from "./decision.ts";
export * from "./dispute.ts";
export * from "./schema.ts";
export * from "./scope.ts";
export * from "./state.ts";
